import type { StateStore } from '../store/state-store.js';
import type { Logger } from '../support/logger.js';
import { WorkerLattice } from '../lattice/worker/worker-lattice.js';
import type { Lattice } from '../lattice/lattice.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { LoadedWorld } from '../dispatch/dispatcher.js';
import type { InProcessDispatcher } from '../modes/in-process/in-process.js';
import type { FunctionPick } from '../modes/function/function.js';
import { NodePool } from '../modes/node-pool.js';
import type { TurnMeter } from '../dispatch/turn-meter.js';
import { MODE_REGISTRY, MODES, NODE_MODES, type Dispatchers } from '../modes/registry.js';
import { modesIn, type ModeTable } from '../dispatch/mode-table.js';
import type { GatewayContext } from '../modes/mode-spec.js';
import { nodeWorkerFile } from '../modes/node-worker-file.js';

export interface DispatchSetup {
  /** Each mode's dispatcher (modes/registry.ts): all of them when there are nodes, else those that need none. */
  dispatchers: Dispatchers;
  /** The gateway's own objects, always there (it needs no nodes). */
  inProcess: InProcessDispatcher;
  pool?: NodePool;
  lattice?: Lattice;
  /** Before a table is routed by: starts the nodes when it has objects on them and they wait for first use. */
  prepare(table: ModeTable): Promise<void>;
  close(): Promise<void>;
}

export interface DispatchSetupOptions {
  store: StateStore;
  world: LoadedWorld;
  definition(): WorldDefinition;
  meter: TurnMeter;
  log: Logger;
  nodes: number;
  /** The table the gateway starts with: worker-thread nodes start now if it runs objects on nodes, else on first use. */
  table: ModeTable;
  functionPick: FunctionPick;
  /** Function mode merges commits that commute (default true; `--no-merge`). */
  merge?: boolean;
  shardCapacity(): number;
  /** Whether turns build out-of-band data: some client takes it (TurnConfig.clientData). */
  clientData(): boolean;
  maxNodeHeapMb?: number;
  readCache?: boolean;
  /** A lattice built elsewhere (NATS); otherwise worker threads are started. */
  lattice?: Lattice;
}

/** Every mode's dispatcher over one set of nodes: those that need no nodes
 *  always, the others when there are nodes to run them. */
export async function setUpDispatch(o: DispatchSetupOptions): Promise<DispatchSetup> {
  let lattice = o.lattice;
  if (!lattice && o.nodes > 0) {
    const workers = new WorkerLattice({ store: o.store, definition: o.definition, log: o.log, maxHeapMb: o.maxNodeHeapMb, readCache: o.readCache, entry: nodeWorkerFile() });
    if (needsNodes(o.table)) await workers.start(o.nodes);
    else workers.startOnFirstUse(o.nodes);
    lattice = workers;
  }
  const pool = lattice && new NodePool(lattice, o.log);
  const context: GatewayContext = { store: o.store, world: o.world, meter: o.meter, clientData: o.clientData, shardCapacity: o.shardCapacity, functionPick: o.functionPick, merge: o.merge ?? true, pool };
  const dispatchers: Dispatchers = {};
  for (const mode of MODES) build(dispatchers, mode, context);
  const inProcess = dispatchers['in-process']!;
  return {
    dispatchers, inProcess, pool, lattice,
    prepare: async (table) => {
      if (needsNodes(table)) await lattice?.wake?.();
    },
    close: async () => {
      pool?.close();
      for (const d of Object.values(dispatchers)) await d.close();
      await lattice?.close();
    },
  };
}

function build<M extends keyof Dispatchers>(into: Dispatchers, mode: M, context: GatewayContext): void {
  const spec = MODE_REGISTRY[mode];
  if (spec.needsNodes && !context.pool) return;
  into[mode] = spec.build({ ...context, pool: context.pool! }) as Dispatchers[M];
}

function needsNodes(table: ModeTable): boolean {
  return [...modesIn(table)].some((mode) => (NODE_MODES as readonly string[]).includes(mode));
}
