import type { Json, Msg, ObjectDef, Ref, TurnConfig, TurnCtx, WorldView } from './types.js';
import type { SetOp } from './state-merge.js';

/** A kind: how one sort of object starts and how it answers messages.
 *  Handlers are pure: they return a new state (never mutate the old one) or
 *  nothing when the message changed nothing, so the dispatcher can skip the write. */
export interface Kind<S = Json> {
  readonly name: string;
  /** The state an object of this kind starts with, from its definition. */
  init(ref: Ref, def: ObjectDef | undefined): S;
  handle(state: S, msg: Msg, ctx: TurnCtx): S | void;
  /** Read-only facts a builder script sees as `ctx.here`. */
  here(state: S, ref: Ref, world: WorldView): Json;
  /** The message types its handler answers (the world checker warns of script hooks no message reaches). */
  readonly handles?: readonly string[];
  /** The turns of this kind that commute, for function mode's commits (world/core/record-rebase.ts); absent: none do. */
  readonly merges?: Merges;
}

/** A kind's mergeable state: the fields that merge, and the change a message makes to
 *  them when its turn commutes (undefined: it does not, and keeps plain compare-and-swap).
 *  The declaration is a promise that the handler's state change for such a message
 *  is exactly `ops` and that nothing it decides depends on those fields otherwise;
 *  each turn is checked against it (world/core/state-merge.ts `changedExactly`). */
export interface Merges {
  readonly fields: readonly string[];
  ops(msg: Msg, config: TurnConfig, self: Ref): SetOp[] | undefined;
}
