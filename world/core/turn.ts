import type { Effect, Json, Msg, Ref, ScriptEffect, TurnConfig, TurnCtx, WorldView } from './types.js';
import type { Kind } from './kind.js';
import { ruleOf } from './protocol.js';
import { outOfReach, reachOf, stampRoom, type ScriptReach } from '../scripts/script-reach.js';
import { scriptText, withoutControls } from '../scripts/script-text.js';
import { kindOf, refuseUnhandled } from '../kinds/index.js';
import { TIMER_MSG, TurnTimers, type PendingTimer, type TimerPace } from './timers.js';
import { SESSION_PACKAGES } from './client-data.js';
import { commutingOps } from './commuting-turn.js';
import type { SetOp } from './state-merge.js';

/** What the store holds per object: the state, plus the ids and the messages
 *  sent by the last turns that changed it. The window is how an object applies a message
 *  at most once, and how a retried message gets the effects of the turn that
 *  already committed (the transactional outbox), so a crash between commit and
 *  reply neither doubles nor loses an item. */
export interface ObjectRecord {
  state: Json;
  /** [message id, its effects, when it was applied (ms)], oldest first. */
  recent: Array<[string, Effect[], number]>;
  /** Pending timers (world/core/timers.ts); absent on objects that have none. */
  timers?: PendingTimer[];
  /** How fast its timers have been firing (world/core/timers.ts); absent on objects whose timers are quiet. */
  timerPace?: TimerPace;
  [key: string]: Json | undefined | Array<[string, Effect[], number]> | PendingTimer[] | TimerPace;
}

export const DEDUPE_WINDOW = 16;

export interface TurnOutcome {
  /** The record to store when `changed`; the old one otherwise. */
  record: ObjectRecord | undefined;
  changed: boolean;
  effects: Effect[];
  /** The message had already been applied: `effects` are the stored ones. */
  duplicate: boolean;
  /** When the turn changed the record and commutes (world/core/commuting-turn.ts, asked for by
   *  TurnConfig.merge): its change to the state, to replay on a newer record instead of running again. */
  ops?: SetOp[];
}

/** Runs one turn: the kind's handler, then the builder's script hook. Pure:
 *  the same record, message and `now` give the same outcome. */
export function runTurn(
  world: WorldView, config: TurnConfig, ref: Ref, record: ObjectRecord | undefined, msg: Msg, now: number,
): TurnOutcome {
  const kind = kindOf(ref, world);
  if (!kind) return orphan(ref, record, msg);
  if (record) {
    const seen = record.recent.find(([id]) => id === msg.id);
    if (seen) return { record, changed: false, effects: seen[1], duplicate: true };
  }
  const effects: Effect[] = [];
  const timers = new TurnTimers(record?.timers, ref, msg.id, record?.timerPace);
  let turnMsg = msg;
  if (msg.type === TIMER_MSG && !msg.script) {
    const taken = timers.take(msg.id, now);
    // Fired already or cancelled: nothing to do, whoever delivered it.
    if (taken === undefined) return { record, changed: false, effects, duplicate: false };
    // Never before it is due: a queue whose clock runs ahead is told again.
    if (taken === 'early') return { record, changed: false, effects: [{ t: 'timer', ref, id: msg.id, due: timers.dueOf(msg.id)! }], duplicate: false };
    // Its object's timers fire too often: it waits its turn, and nothing is written meanwhile.
    if (taken === 'held') return { record, changed: false, effects: [{ t: 'timer', ref, id: msg.id, due: timers.heldUntil }], duplicate: false };
    const warning = timers.throttleWarning(now);
    if (warning) effects.push({ t: 'log', level: 'warn', text: warning });
    turnMsg = taken;
  }
  if (turnMsg.script && !ruleOf(turnMsg.type).script) return refused(record, `ignored script message ${turnMsg.type} to ${ref}: scripts may not send it`);
  const ctx = new TurnContext(world, config, ref, turnMsg, now, effects, timers);
  const initial = record ? record.state : initialState(world, kind, ctx, ref);
  const handled = kind.handle(initial, turnMsg, ctx);
  let next = handled === undefined ? initial : handled;
  if (handled === undefined && effects.length === 0 && !timers.changed) refuseUnhandled(turnMsg, ctx);
  const hookStart = effects.length;
  next = runHook(world, kind, ref, next, turnMsg, now, ctx);
  // The script mark travels with every message derived from a script's, so a
  // turn it caused may not move anything, however many hops away: all or nothing.
  const mover = turnMsg.script ? effects.find(movesSomething) : undefined;
  if (mover) {
    const refusal = refused(record, `refused ${turnMsg.type} to ${ref} from a script: its turn would move ${describeMove(mover)}`);
    // A fired timer is spent even when its turn is refused: it must not fire again.
    if (turnMsg === msg || !record) return refusal;
    const left = record.timers?.filter(([id]) => id !== msg.id);
    return { ...refusal, record: withTimers(record, record.state, msg.id, [], now, left?.length ? left : undefined, timers.paceAt(now)), changed: true };
  }
  const changed = !record || next !== record.state || timers.changed;
  if (timers.announced.length > 0) effects.push(...timers.announced);
  if (!changed) return { record, changed, effects, duplicate: false };
  const outcome: TurnOutcome = { record: withTimers(record, next, msg.id, effects.filter(kept), now, timers.pending, timers.paceAt(now)), changed, effects, duplicate: false };
  // Whether it commutes: asked only where a commit may replay it (function mode), on a turn of its own message that set no timer.
  if (config.merge && record && turnMsg === msg && !timers.changed) {
    const ops = commutingOps(kind, config, ref, msg, record.state, next, effects.slice(hookStart));
    if (ops) outcome.ops = ops;
  }
  return outcome;
}

function withTimers(
  record: ObjectRecord | undefined, state: Json, id: string, keptEffects: Effect[], now: number,
  timers: PendingTimer[] | undefined, pace: TimerPace | undefined,
): ObjectRecord {
  const recent = record ? record.recent.slice(-(DEDUPE_WINDOW - 1)) : [];
  recent.push([id, keptEffects, now]);
  const next: ObjectRecord = timers ? { state, recent, timers } : { state, recent };
  if (pace) next.timerPace = pace;
  return next;
}

/** What the outbox keeps of a turn's effects: what a retry must not lose.
 *  Messages (an item in flight is in one) and room moves; not the lines to
 *  players, which are most of a record's size (a room's description on every
 *  arrival) and are only feedback. Timers are announced again on a retry, in
 *  case the queue never heard of them. */
function kept(e: Effect): boolean {
  return e.t === 'send' || e.t === 'located' || e.t === 'timer';
}

/** A turn that must not happen: nothing changes, and the builder's log says why. */
function refused(record: ObjectRecord | undefined, text: string): TurnOutcome {
  return { record, changed: false, effects: [{ t: 'log', level: 'warn', text }], duplicate: false };
}

function movesSomething(e: Effect): boolean {
  return e.t === 'located' || (e.t === 'send' && ruleOf(e.msg.type).moves !== 'none');
}

function describeMove(e: Effect): string {
  return e.t === 'send' ? `${e.msg.type} to ${e.to}` : 'a player';
}

/** A message to an object the world no longer defines (removed by a reload). */
function orphan(ref: Ref, record: ObjectRecord | undefined, msg: Msg): TurnOutcome {
  const effects: Effect[] = [{ t: 'log', level: 'warn', text: `message ${msg.type} to unknown object ${ref}` }];
  if (msg.actor) effects.push({ t: 'tell', to: msg.actor, text: 'That is no longer part of this world.' });
  return { record, changed: false, effects, duplicate: false };
}

function initialState(world: WorldView, kind: Kind<Json>, ctx: TurnContext, ref: Ref): Json {
  const state = kind.init(ref, world.def(ref)) as { [k: string]: Json };
  const init = world.hook(ref, 'init');
  if (!init) return state;
  const outcome = init({ state: {}, msg: { id: 'init', type: 'init' }, self: ref, here: kind.here(state, ref, world), now: ctx.now(), seed: 1, timerBase: ctx.timerBase });
  if (!outcome.ok) {
    ctx.log('error', `script init of ${ref} failed: ${outcome.error}`);
    return state;
  }
  return outcome.state === undefined ? state : { ...state, vars: outcome.state };
}

/** What a player who is not a wizard is told when a script fails in their turn. */
export const SCRIPT_FAILED = 'Something went wrong there. (The builders have been told.)';

/** The builder's hook runs after the built-in handler. If it fails, only its own
 *  part of the turn is dropped: the engine's moves of items and players stand. */
function runHook(
  world: WorldView, kind: Kind<Json>, ref: Ref, state: Json, msg: Msg, now: number, ctx: TurnContext,
): Json {
  if (msg.type === 'init') return state;
  const hook = world.hook(ref, msg.type);
  if (!hook) return state;
  const current = state as { vars?: Json; [k: string]: Json | undefined };
  const vars = current.vars ?? {};
  const outcome = hook({ state: vars, msg: heardBy(msg), self: ref, here: kind.here(state, ref, world), now, seed: seedOf(msg.id) ^ 0x5bd1e995, timerBase: ctx.timerBase });
  const reach = outcome.ok ? reachOf(world, ref, state, msg) : undefined;
  const error = outcome.ok ? outOfReach(outcome.effects, reach!, msg.actor) : outcome.error;
  if (error !== undefined || !outcome.ok) {
    // Script-made text (a thrown message) reaches a terminal here too: no controls in it.
    const shown = withoutControls(error ?? '');
    ctx.log('error', `script ${ref} ${msg.type}: ${shown}`);
    // The detail (the server's file paths) is the builders': the log has it, and so does a wizard.
    if (msg.actor) ctx.tell(msg.actor, msg.wizard ? `[A script failed in ${ref}: ${shown}]` : SCRIPT_FAILED);
    return state;
  }
  for (const e of outcome.effects) {
    const problem = applyScriptEffect(e, ctx, reach!);
    if (problem) {
      ctx.log('error', `script ${ref} ${msg.type}: ${problem}`);
      break;
    }
  }
  // The script runtime answers the state it was given, or none, when the hook left it as it was (script-sandbox.ts).
  if (outcome.state === undefined || outcome.state === vars) return state;
  return { ...current, vars: outcome.state };
}

/** The message as a hook sees it: without what is for its recipients alone (the words of a whisper). */
function heardBy(msg: Msg): Msg {
  const hidden = ruleOf(msg.type).private;
  if (!hidden) return msg;
  const seen = { ...msg };
  for (const field of hidden) delete seen[field];
  return seen;
}

/** Applies a checked script effect; a timer problem (a forged id, too many) is the script's error. */
function applyScriptEffect(e: ScriptEffect, ctx: TurnContext, reach: ScriptReach): string | undefined {
  if (e.t === 'tell') ctx.tell(e.to, scriptText(e.text));
  else if (e.t === 'tellRoom') ctx.tellRoom(e.room, scriptText(e.text), e.except);
  else if (e.t === 'send') ctx.send(e.to, { ...stampRoom(e.msg, reach), script: true });
  else if (e.t === 'after') return ctx.scriptAfter(e.id, e.ms, stampRoom(e.msg, reach));
  else ctx.cancel(e.id);
  return undefined;
}

/** The ctx of one turn. A class, not a bag of closures: a turn is a hot path
 *  (a million a second in-process), and methods on a prototype cost nothing per turn. */
class TurnContext implements TurnCtx {
  private children = 0;
  private rng: (() => number) | undefined;

  constructor(
    readonly world: WorldView, readonly config: TurnConfig, readonly self: Ref,
    private readonly msg: Msg, private readonly at: number, private readonly effects: Effect[],
    private readonly timers: TurnTimers,
  ) {}

  get timerBase(): string {
    return this.timers.base;
  }

  after(ms: number, body: { type: string; [field: string]: Json | undefined }): string {
    const id = this.timers.nextId();
    const problem = this.timers.add(id, ms, this.derived(body), this.at);
    if (problem) throw new Error(`ctx.after on ${this.self}: ${problem}`);
    return id;
  }

  /** A script's timer, with the id its sandbox already gave the script. */
  scriptAfter(id: string, ms: number, body: { type: string; [field: string]: Json | undefined }): string | undefined {
    if (!id.startsWith(`${this.timers.base}s`)) return `ctx.after: timer id ${id} was not made by this turn`;
    return this.timers.add(id, ms, this.derived({ ...body, script: true }), this.at);
  }

  cancel(id: string): boolean {
    return this.timers.cancel(id);
  }

  /** A message caused by this turn carries its actor and its script mark. */
  private derived(body: { type: string; [field: string]: Json | undefined }): Msg {
    const child = { ...body } as Msg;
    if (this.msg.actor && !child.actor) child.actor = this.msg.actor;
    if (this.msg.script) child.script = true;
    if (this.msg.plain && child.actor === this.msg.actor) child.plain = true;
    if (this.msg.wizard && child.actor === this.msg.actor) child.wizard = true;
    return child;
  }

  send(to: Ref, body: { type: string; [field: string]: Json | undefined }): void {
    this.children += 1;
    const child = this.derived(body);
    child.id = `${this.msg.id}.${this.children}`;
    this.effects.push({ t: 'send', to, msg: child });
  }

  tell(to: Ref, text: string): void {
    this.effects.push({ t: 'tell', to, text });
  }

  tellRoom(room: Ref, text: string, except?: Ref[]): void {
    this.effects.push(except?.length ? { t: 'tellRoom', room, text, except } : { t: 'tellRoom', room, text });
  }

  located(player: Ref, room: Ref | null): void {
    this.effects.push({ t: 'located', player, room });
  }

  wantsData(to: Ref): boolean {
    return this.config.clientData !== false && !(this.msg.plain && to === this.msg.actor);
  }

  emit(to: Ref, pkg: string, data: Json, except?: Ref[]): void {
    if (!this.wantsData(to) && !SESSION_PACKAGES.has(pkg)) return; // nobody would read it
    this.effects.push(except?.length ? { t: 'emit', to, package: pkg, data, except } : { t: 'emit', to, package: pkg, data });
  }

  broadcast(channel: string, text: string, data: Json): void {
    this.effects.push({ t: 'broadcast', channel, text, data });
  }

  tellArea(area: string, text: string, data: Json, except?: Ref[]): void {
    this.effects.push(except?.length ? { t: 'tellArea', area, text, data, except } : { t: 'tellArea', area, text, data });
  }

  log(level: 'info' | 'warn' | 'error', text: string): void {
    this.effects.push({ t: 'log', level, text });
  }

  now(): number {
    return this.at;
  }

  random(): number {
    this.rng ??= mulberry32(seedOf(this.msg.id));
    return this.rng();
  }
}

/** FNV-1a: a message id to a 32-bit seed. The id's boot prefix (before the
 *  first '-') is left out, so the same session replayed draws the same numbers. */
export function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = id.indexOf('-') + 1; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
