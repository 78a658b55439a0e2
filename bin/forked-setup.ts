import type { Logger } from '../support/logger.js';
import { checkDataDir } from '../support/paths.js';
import { RelayedStore } from '../store/relayed-store.js';
import type { StateStore } from '../store/state-store.js';
import { RelayedLattice } from '../lattice/relayed-lattice.js';
import { PrimaryLink } from '../cluster/primary-link.js';
import { ForkedGateways } from '../cluster/forked-gateways.js';
import { ForkedGatewayBus, GatewaySilentError } from '../cluster/forked-gateway-bus.js';
import { RequestSwitchPeers } from '../cluster/request-switch-peers.js';
import type { ClusterCarrier } from '../cluster/gateways.js';
import { DataDirLock } from './data-dir-lock.js';

export interface ForkedSetup {
  store: StateStore;
  lattice: RelayedLattice;
  /** This gateway's own lock in the shared data dir (the primary holds the dir's). */
  lock: DataDirLock;
  cluster: ClusterCarrier;
}

/** Everything a gateway process of `mud serve --gateways N` needs before `startServer`, all of it
 *  through its channel to the primary: the one file store, the node threads, the other gateways,
 *  the bus to their players and the live switch's messages. The store is shared (one file store
 *  behind every gateway), so the cluster's mode table, session keys and timers' records live in it
 *  as in KV. */
export async function joinPrimary(o: { id: string; dataDir: string; log: Logger }): Promise<ForkedSetup> {
  const problem = checkDataDir(o.dataDir);
  if (problem) throw new Error(problem);
  // Its primary gone (killed), the IPC channel closes and Node's cluster module ends this process.
  const link = PrimaryLink.ofProcess();
  const lock = await DataDirLock.acquire(o.dataDir, o.id);
  try {
    const gateways = new ForkedGateways(link, o.id, 'file', o.log);
    const lattice = new RelayedLattice((m, timeoutMs) => link.request(m, timeoutMs), []);
    link.on('node', ({ event }) => lattice.heard(event));
    const joined = await gateways.join();
    for (const node of joined.nodes) if (!lattice.nodes().includes(node)) lattice.heard({ type: 'joined', node });
    const bus = new ForkedGatewayBus(link, () => gateways.others().length > 0);
    const switchPeers = new RequestSwitchPeers(bus, gateways, (err) => err instanceof GatewaySilentError);
    const store = new RelayedStore((op) => link.request(op), 'file');
    return { store, lattice, lock, cluster: { shared: true, gateways, bus, switchPeers, sameListeners: true } };
  } catch (err) {
    await lock.release();
    throw err;
  }
}
