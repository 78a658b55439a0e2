import type { Effect, Msg, Ref, TurnConfig, WorldView } from '../world/core/types.js';
import type { StateStore } from '../store/state-store.js';
import type { ModeMessage, NodeRequest } from '../lattice/lattice.js';
import type { NodeMeter } from '../lattice/node-stats.js';

/** What a node builds its modes' halves from. */
export interface NodeContext {
  /** This node's id. */
  id: string;
  store: StateStore;
  world: WorldView;
  /** The node's figures: each half counts the turns it runs (and their conflicts). */
  meter: NodeMeter;
  /** Keep the records of shipped batches, so the gateway may name them instead of shipping them again. */
  keepRecords: boolean;
}

/** A `release` request's objects: which cached ones stay (see lattice/lattice.ts). */
export type ReleaseSpec = Extract<NodeRequest, { t: 'release' }>['actorRefs'];

/** A mode's half on a node (modes/node-runtime.ts routes a turn by its request's
 *  mode to it): runs the turns the gateway half sends, and answers for what it keeps. */
export interface NodeHalf {
  /** One turn; its effects once its state is durable, and the compare-and-swap conflicts on the way. */
  turn(ref: Ref, msg: Msg, config: TurnConfig): Promise<{ effects: Effect[]; conflicts: number }>;
  /** A request of this mode's own beyond `turn` (a function batch): one of the types its spec declares
   *  (`ModeSpec.requests`), answered with a reply of its own. */
  request?(body: ModeMessage): Promise<ModeMessage>;
  /** A live switch or a change of nodes: drop what it caches of objects it will no longer run here. */
  release?(spec: ReleaseSpec): Promise<void>;
  /** Idle cached objects leave memory (their state is in the store). */
  passivateIdle?(idleMs: number): void;
  setWorld(world: WorldView): void;
  /** Its share of the node's figures: objects in memory, turns waiting, store writes not counted by the store. */
  stats?(): { activations?: number; mailboxDepth?: number; writes?: number };
}
