import type { StateStore } from '../store/state-store.js';
import type { Dispatcher, LoadedWorld } from '../dispatch/dispatcher.js';
import type { TurnMeter } from '../dispatch/turn-meter.js';
import type { NodePool } from './node-pool.js';
import type { FunctionPick } from './function/function.js';
import type { NodeContext, NodeHalf } from './node-half.js';

/** What a gateway builds its dispatchers from: the store and world it serves,
 *  its meter and knobs, and its nodes when it has any. */
export interface GatewayContext {
  store: StateStore;
  world: LoadedWorld;
  meter: TurnMeter;
  /** Whether turns build out-of-band data: some client takes it (TurnConfig.clientData). */
  clientData(): boolean;
  shardCapacity(): number;
  functionPick: FunctionPick;
  /** Function mode: replay commits that commute instead of running their turns again (`mud serve --no-merge` turns it off). */
  merge: boolean;
  /** The nodes: absent when this gateway has none (then only modes that need none are built). */
  pool?: NodePool;
}

/** One dispatch mode as the rest of the server sees it: its words in help texts,
 *  whether it needs nodes, and how its two halves are built. The registry
 *  (modes/registry.ts) lists every mode; names, help and monitor keys derive from it. */
export interface ModeSpec<D extends Dispatcher = Dispatcher> {
  /** How objects run in this mode, as `mud --help` says it: "as homed actors". */
  runsAs: string;
  /** The same, shorter, as the monitor's help says it: "as actors (homed)". */
  monitorHelp: string;
  /** Whether its turns run on nodes (it is built only when there are some). */
  needsNodes: boolean;
  /** Whether its objects live on the gateway that serves the turn: then several gateways would each run
   *  their own copy, and it is refused while more than one is live. */
  onGateway: boolean;
  /** Its gateway half. `pool` is set when `needsNodes`. */
  build(ctx: GatewayContext & { pool: NodePool }): D;
  /** Its half on each node: runs the turns its gateway half sends with this mode's name. */
  node?(ctx: NodeContext): NodeHalf;
  /** The requests of its own (`ModeRequest`, lattice/lattice.ts) its gateway half sends beyond `turn`, by
   *  type: `remote` ones may come from another process (over NATS), `local` ones only from the gateway in
   *  the node's own process (worker threads). A node refuses any other; its node half answers these. */
  requests?: { remote?: readonly string[]; local?: readonly string[] };
}
