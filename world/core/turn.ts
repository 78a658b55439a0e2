import type { Effect, Json, Msg, Ref, TurnConfig, WorldView } from './types.js';
import type { Kind } from './kind.js';
import { ruleOf } from './protocol.js';
import { kindOf, refuseUnhandled } from '../kinds/index.js';
import { TIMER_MSG, TurnTimers, type PendingTimer, type TimerPace } from './timers.js';
import { commutingOps } from './commuting-turn.js';
import type { SetOp } from './state-merge.js';
import { TurnContext } from './turn-context.js';
import { runHook } from './script-hook.js';
import { appliedAgain } from './applied-again.js';
import { droppedLine, entryOf, slideWindow, type OutboxEntry } from './outbox-hold.js';

/** What the store holds per object: the state, plus the ids and the messages
 *  sent by the last turns that changed it. The window is how an object applies a message
 *  at most once, and how a retried message gets the effects of the turn that
 *  already committed (the transactional outbox), so a crash between commit and
 *  reply neither doubles nor loses an item. */
export interface ObjectRecord {
  state: Json;
  /** [message id, its effects, when it was applied (ms), and who delivered it when stamped], oldest first:
   *  the last DEDUPE_WINDOW messages applied. */
  recent: OutboxEntry[];
  /** Entries slid out of the window whose deliverer has not said it has the answer (world/core/outbox-hold.ts),
   *  oldest first; absent when none. */
  held?: OutboxEntry[];
  /** Pending timers (world/core/timers.ts); absent on objects that have none. */
  timers?: PendingTimer[];
  /** How fast its timers have been firing (world/core/timers.ts); absent on objects whose timers are quiet. */
  timerPace?: TimerPace;
  [key: string]: Json | undefined | OutboxEntry[] | PendingTimer[] | TimerPace;
}

export const DEDUPE_WINDOW = 16;

export interface TurnOutcome {
  /** The record to store when `changed`; the old one otherwise. */
  record: ObjectRecord | undefined;
  changed: boolean;
  effects: Effect[];
  /** The message had already been applied: `effects` are the stored ones (world/core/applied-again.ts). */
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
    const seen = record.recent.find(([id]) => id === msg.id) ?? record.held?.find(([id]) => id === msg.id);
    if (seen) return { record, changed: false, effects: appliedAgain(msg, seen[1]), duplicate: true };
  }
  // Given up by its gateway, delivered for its outbox only: it did not run, and does not now.
  if (msg.settle && !msg.script) return { record, changed: false, effects: [], duplicate: false };
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
  let handled: Json | void;
  try {
    handled = kind.handle(initial, turnMsg, ctx);
  } catch (err) {
    // A turn is pure, so a handler that throws throws again on every try: a message that moves nothing is dropped
    // here, rather than tried for minutes (one a committed turn sent must land) while its chain, and the player whose
    // command it is, wait for it. One that carries an item or a player is still tried: it exists nowhere else.
    if (ruleOf(turnMsg.type).moves !== 'none') throw err;
    const why = err instanceof Error ? err.message : String(err);
    const refusal = refusedTurn(ref, record, msg, turnMsg, now, timers, 'error', `dropped ${turnMsg.type} to ${ref}: its handler threw (${why}), and would again`);
    if (turnMsg.actor) refusal.effects.push({ t: 'tell', to: turnMsg.actor, text: TURN_BROKE });
    return refusal;
  }
  let next = handled === undefined ? initial : handled;
  if (handled === undefined && effects.length === 0 && !timers.changed) refuseUnhandled(turnMsg, ctx);
  const hookStart = effects.length;
  next = runHook(world, kind, ref, next, turnMsg, now, ctx);
  // The script mark travels with every message derived from a script's, so a
  // turn it caused may not move anything, however many hops away: all or nothing.
  const mover = turnMsg.script ? effects.find(movesSomething) : undefined;
  if (mover) return refusedTurn(ref, record, msg, turnMsg, now, timers, 'warn', `refused ${turnMsg.type} to ${ref} from a script: its turn would move ${describeMove(mover)}`);
  const changed = !record || next !== record.state || timers.changed;
  if (timers.announced.length > 0) effects.push(...timers.announced);
  if (!changed) return { record, changed, effects, duplicate: false };
  const outcome: TurnOutcome = { record: withTimers(ref, record, next, msg, effects.filter(kept), now, timers.pending, timers.paceAt(now), effects), changed, effects, duplicate: false };
  // Whether it commutes: asked only where a commit may replay it (function mode), on a turn of its own message that set no timer.
  if (config.merge && record && turnMsg === msg && !timers.changed) {
    const ops = commutingOps(kind, config, ref, msg, record.state, next, effects.slice(hookStart));
    if (ops) outcome.ops = ops;
  }
  // What the record now carries of the builder's, after the commuting check (it is no decision): the
  // gateway charges a script timer's fire for it.
  if (ctx.scriptStateChars !== undefined) effects.push({ t: 'wrote', chars: ctx.scriptStateChars });
  return outcome;
}

/** The record a turn writes; an outbox entry given up unanswered (world/core/outbox-hold.ts) is logged in `effects`. */
function withTimers(
  ref: Ref, record: ObjectRecord | undefined, state: Json, msg: Msg, keptEffects: Effect[], now: number,
  timers: PendingTimer[] | undefined, pace: TimerPace | undefined, effects: Effect[],
): ObjectRecord {
  const { recent, held, dropped } = slideWindow(record?.recent ?? [], record?.held, [entryOf(msg, keptEffects, now)], DEDUPE_WINDOW, msg, now);
  if (dropped.length > 0) effects.push({ t: 'log', level: 'warn', text: droppedLine(ref, dropped, now) });
  const next: ObjectRecord = timers ? { state, recent, timers } : { state, recent };
  if (held) next.held = held;
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
function refused(record: ObjectRecord | undefined, text: string, level: 'warn' | 'error' = 'warn'): TurnOutcome {
  return { record, changed: false, effects: [{ t: 'log', level, text }], duplicate: false };
}

/** What the actor of a dropped turn is told (the server's log has why). */
const TURN_BROKE = 'Something went wrong there. (It is in the server\'s log.)';

/** A turn that runs nothing, its reason logged. A fired timer is spent all the same: it must not fire again. */
function refusedTurn(
  ref: Ref, record: ObjectRecord | undefined, msg: Msg, turnMsg: Msg, now: number, timers: TurnTimers, level: 'warn' | 'error', text: string,
): TurnOutcome {
  const refusal = refused(record, text, level);
  if (turnMsg === msg || !record) return refusal;
  const left = record.timers?.filter(([id]) => id !== msg.id);
  return { ...refusal, record: withTimers(ref, record, record.state, msg, [], now, left?.length ? left : undefined, timers.paceAt(now), refusal.effects), changed: true };
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
