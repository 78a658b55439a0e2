import type { Effect, Msg, Ref, WorldView } from '../world/core/types.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { ModeTable } from './mode-table.js';

/** A dispatch mode's name. The engine only routes by it: which modes there are,
 *  and what each one is, is modes/registry.ts's (it checks names read from outside). */
export type ModeName = string;

/** Where a turn runs and where the state lives. The engine above it knows nothing
 *  of nodes or stores; implementations know nothing of sessions or sockets.
 *
 *  Guarantees: `run` resolves with the turn's effects only once the turn's new
 *  state is durable (the output gate); turns on one object never interleave; a
 *  message id already applied to an object is not applied again (its stored
 *  effects are returned instead). */
export interface Dispatcher {
  readonly mode: ModeName;
  /** Its objects' turns run in this process, for this engine alone: an answer cannot be lost on the way and a
   *  retry comes back to the same home, so its messages carry no delivery word (Msg.delivery). */
  readonly answersInProcess?: boolean;
  run(ref: Ref, msg: Msg): Promise<Effect[]>;
  /** Forgets cached state of the objects that will not run in this mode under
   *  `next` (all of it is in the store already), so their new mode owns them.
   *  Called by the live switch with no turns in flight. */
  release(next: ModeTable): Promise<void>;
  /** The mode-table epoch later turns are routed by (a live switch, or the table adopted at start);
   *  dispatchers that send turns to nodes stamp it on them (see lattice/epoch-fence.ts). */
  stampEpoch?(epoch: number): void;
  /** At the start of a live switch: hand back turns accepted but not started
   *  (they reject with RerouteError and the engine routes them again, after the
   *  switch), so the switch waits only for turns actually running. */
  yieldQueued?(): number;
  /** Where the object's state lives between turns, as the monitor shows it (a node's id,
   *  `gateway`); a mode without one leaves it out and the monitor says `no home`. */
  home?(ref: Ref): string;
  /** The object's turns sent and not yet answered, or waiting to be sent (the monitor's mailbox). */
  mailboxDepth?(ref: Ref): number;
  /** A world reload: later turns see the new definitions and scripts. */
  setWorld(world: LoadedWorld): Promise<void>;
  close(): Promise<void>;
}

/** The loaded world as a dispatcher needs it: the live view for turns on this
 *  thread, and the plain definition to hand to nodes elsewhere. */
export interface LoadedWorld extends WorldView {
  readonly definition: WorldDefinition;
}
