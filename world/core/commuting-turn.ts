import type { Effect, Json, Msg, Ref, TurnConfig } from './types.js';
import type { Kind } from './kind.js';
import { changedExactly, type SetOp } from './state-merge.js';

/** Whether an effect only shows something (a line, client data, a log line):
 *  what a player sees at that moment, from the record the turn read. Everything
 *  else (a message sent, a player moved, a timer) is a decision. */
export function onlyShows(e: Effect): boolean {
  return e.t === 'tell' || e.t === 'tellRoom' || e.t === 'emit' || e.t === 'log';
}

/** The ops of a turn that commutes, or undefined. It commutes when its kind
 *  declares the message's change (Kind.merges), the turn changed exactly that,
 *  and the builder's hook, if it ran, only showed something: a hook may read the
 *  crowd (`ctx.here`), and what it decides from it must not stand on a stale one. */
export function commutingOps(kind: Kind<Json>, config: TurnConfig, ref: Ref, msg: Msg, before: Json, after: Json, hookEffects: readonly Effect[]): SetOp[] | undefined {
  const ops = kind.merges?.ops(msg, config, ref);
  if (!ops || !hookEffects.every(onlyShows) || !changedExactly(before, after, ops)) return undefined;
  return ops;
}
