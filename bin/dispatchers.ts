import type { StateStore } from '../store/state-store.js';
import type { Logger } from '../support/logger.js';
import { WorkerLattice } from '../lattice/worker/worker-lattice.js';
import type { Lattice } from '../lattice/lattice.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { Dispatcher, LoadedWorld, Mode } from '../dispatch/dispatcher.js';
import { InProcessDispatcher } from '../modes/in-process/in-process.js';
import { ActorDispatcher } from '../modes/actor/actor.js';
import { FunctionDispatcher, type FunctionPick } from '../modes/function/function.js';
import { NodePool } from '../modes/node-pool.js';
import type { TurnMeter } from '../dispatch/turn-meter.js';

export interface DispatchSetup {
  dispatchers: Partial<Record<Mode, Dispatcher>>;
  inProcess: InProcessDispatcher;
  actor?: ActorDispatcher;
  functions?: FunctionDispatcher;
  pool?: NodePool;
  lattice?: Lattice;
  close(): Promise<void>;
}

export interface DispatchSetupOptions {
  store: StateStore;
  world: LoadedWorld;
  definition(): WorldDefinition;
  meter: TurnMeter;
  log: Logger;
  nodes: number;
  functionPick: FunctionPick;
  shardCapacity(): number;
  /** Whether turns build out-of-band data: some client takes it (TurnConfig.clientData). */
  clientData(): boolean;
  maxNodeHeapMb?: number;
  readCache?: boolean;
  /** A lattice built elsewhere (NATS); otherwise worker threads are started. */
  lattice?: Lattice;
}

/** The three dispatchers over one set of nodes: in-process always, actor and
 *  function when there are nodes to run them. */
export async function setUpDispatch(o: DispatchSetupOptions): Promise<DispatchSetup> {
  const inProcess = new InProcessDispatcher(o.store, o.world, o.meter, o.clientData);
  const dispatchers: Partial<Record<Mode, Dispatcher>> = { 'in-process': inProcess };
  let lattice = o.lattice;
  if (!lattice && o.nodes > 0) {
    const workers = new WorkerLattice({ store: o.store, definition: o.definition, log: o.log, maxHeapMb: o.maxNodeHeapMb, readCache: o.readCache });
    await workers.start(o.nodes);
    lattice = workers;
  }
  if (!lattice) return { dispatchers, inProcess, close: () => inProcess.close() };
  const pool = new NodePool(lattice, o.log);
  const actor = new ActorDispatcher(pool, o.meter, { shardCapacity: o.shardCapacity, clientData: o.clientData });
  dispatchers.actor = actor;
  const functions = new FunctionDispatcher(pool, o.meter, o.functionPick, o.clientData);
  dispatchers.function = functions;
  return {
    dispatchers, inProcess, actor, functions, pool, lattice,
    close: async () => {
      pool.close();
      await inProcess.close();
      await lattice!.close();
    },
  };
}
