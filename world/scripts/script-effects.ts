import { isRef, refKind, type ScriptEffect } from '../core/types.js';
import { MAX_EFFECTS } from './script-prelude.js';
import { ruleOf, SCRIPT_EFFECTS, type ScriptEffectName } from '../core/protocol.js';
import { MAX_DELAY_MS } from '../core/timers.js';

// The host's check of what a script turn produced. The script ran in its own
// realm, so nothing it said is trusted: every effect is re-checked here, and one
// bad effect fails the whole turn (half a turn's effects would be worse).

/** Longest line a script may tell. */
export const MAX_TEXT = 4096;
/** Largest script state, as JSON: it is stored and shipped on every turn. */
export const MAX_STATE_CHARS = 64 * 1024;

const MSG_TYPE = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;
/** Fields the engine sets on a message itself: a script may not forge them. */
const RESERVED_FIELDS = ['id', 'actor', 'script', 'plain', 'wizard'];

type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export function checkEffects(raw: unknown): Checked<ScriptEffect[]> {
  if (!Array.isArray(raw)) return { ok: false, error: 'effects missing' };
  if (raw.length > MAX_EFFECTS) return { ok: false, error: `too many effects in one turn (the limit is ${MAX_EFFECTS})` };
  for (const effect of raw) {
    const problem = checkEffect(effect);
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, value: raw as ScriptEffect[] };
}

/** The shape check of each effect in the protocol table. */
const CHECKS: { [name in ScriptEffectName]: (e: Record<string, unknown>) => string | undefined } = {
  tell: (e) => refProblem('ctx.tell', e.to, 'player') ?? textProblem('ctx.tell', e.text),
  tellRoom: (e) => refProblem('ctx.tellRoom', e.room, 'room') ?? textProblem('ctx.tellRoom', e.text) ?? exceptProblem(e.except),
  send: (e) => refProblem('ctx.send', e.to) ?? messageProblem(e.msg),
  after: (e) => timerIdProblem('ctx.after', e.id) ?? delayProblem(e.ms) ?? messageProblem(e.msg, 'ctx.after'),
  cancel: (e) => timerIdProblem('ctx.cancel', e.id),
  quest: (e) => refProblem('ctx.quest', e.to, 'player') ?? questProblem(e),
};

/** A quest's title names it in the journal (one line); its text says where it stands. */
export const QUEST_TITLE_LIMIT = 60;
export const QUEST_TEXT_LIMIT = 200;

function questProblem(e: Record<string, unknown>): string | undefined {
  if (typeof e.title !== 'string' || !e.title.trim()) return `ctx.quest: the title must be a string, got ${show(e.title)}`;
  if (e.title.length > QUEST_TITLE_LIMIT) return `ctx.quest: the title is ${e.title.length} characters long (the limit is ${QUEST_TITLE_LIMIT})`;
  if (typeof e.text !== 'string') return `ctx.quest: the text must be a string, got ${show(e.text)}`;
  if (e.text.length > QUEST_TEXT_LIMIT) return `ctx.quest: the text is ${e.text.length} characters long (the limit is ${QUEST_TEXT_LIMIT})`;
  if (e.done !== undefined && typeof e.done !== 'boolean') return `ctx.quest: done must be true or false, got ${show(e.done)}`;
  return undefined;
}

/** What is wrong with one effect, or undefined. */
function checkEffect(e: unknown): string | undefined {
  if (!isPlainObject(e) || typeof e.t !== 'string' || !Object.hasOwn(SCRIPT_EFFECTS, e.t)) return 'malformed effect';
  return CHECKS[e.t as ScriptEffectName](e);
}

function refProblem(call: string, ref: unknown, kind?: 'player' | 'room'): string | undefined {
  const example = kind === 'room' ? 'room/mystical_plaza' : kind === 'player' ? 'player/alice' : 'item/sword.1';
  if (!isRef(ref) || (kind && refKind(ref) !== kind)) {
    return `${call}: ${show(ref)} is not a ${kind ?? 'valid'} ref (like ${example})`;
  }
  return undefined;
}

function textProblem(call: string, text: unknown): string | undefined {
  if (typeof text !== 'string') return `${call}: the text must be a string, got ${show(text)}`;
  if (text.length > MAX_TEXT) return `${call}: the text is ${text.length} characters long (the limit is ${MAX_TEXT})`;
  return undefined;
}

function exceptProblem(except: unknown): string | undefined {
  if (except === undefined) return undefined;
  if (!Array.isArray(except) || except.length > MAX_EFFECTS) return 'ctx.tellRoom: except must be a list of refs';
  for (const ref of except) {
    const problem = refProblem('ctx.tellRoom except', ref);
    if (problem) return problem;
  }
  return undefined;
}

function messageProblem(msg: unknown, call = 'ctx.send'): string | undefined {
  if (!isPlainObject(msg)) return `${call}: the message must be an object like { type: 'ring' }, got ${show(msg)}`;
  if (typeof msg.type !== 'string' || !MSG_TYPE.test(msg.type)) {
    return `${call}: the message type must be a name like 'ring', got ${show(msg.type)}`;
  }
  if (!ruleOf(msg.type).script) return `${call}: scripts may not send '${msg.type}' messages (see the protocol table in docs/WORLD-FILES.md)`;
  const reserved = RESERVED_FIELDS.find((f) => f in msg);
  return reserved ? `${call}: the field '${reserved}' is set by the engine, not by scripts` : undefined;
}

function timerIdProblem(call: string, id: unknown): string | undefined {
  return typeof id === 'string' && /^[a-z0-9]{1,40}$/.test(id) ? undefined : `${call}: ${show(id)} is not a timer id (ctx.after returns them)`;
}

function delayProblem(ms: unknown): string | undefined {
  if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= MAX_DELAY_MS) return undefined;
  return `ctx.after: the delay must be a number of milliseconds, 0..${MAX_DELAY_MS}, got ${show(ms)}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as a builder reads it in an error: short. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
