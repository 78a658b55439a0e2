import type { Json, Msg, ObjectDef, Ref, TurnCtx, WorldView } from './types.js';

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
}

/** Every object's state carries its script state under `vars` (what the
 *  builder's `init` hook returned), kept apart from what the engine manages. */
export interface WithVars {
  vars?: Json;
  [key: string]: Json | undefined;
}
