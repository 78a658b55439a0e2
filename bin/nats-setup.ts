import { resolve } from 'node:path';
import type { StateStore } from '../store/state-store.js';
import { storeSpec, type StoreKind } from '../store/registry.js';
import type { Logger } from '../support/logger.js';
import { NatsLink } from '../nats/nats-connection.js';
import type { NatsAccess } from '../nats/nats-access.js';
import { NatsLattice } from '../lattice/nats/nats-lattice.js';
import type { Attachable } from '../portal/session-registry.js';
import { checkDataDir } from '../support/paths.js';
import { loadLiveWorld } from './live-world.js';
import { DataDirLock } from './data-dir-lock.js';
import { GatewayMembership } from '../cluster/gateway-membership.js';
import { NatsGatewayBus } from '../cluster/nats-gateway-bus.js';
import { NatsSwitchPeers } from '../cluster/nats-switch-peers.js';
import type { ClusterCarrier } from '../cluster/gateways.js';
import { recordHistoryFromEnv } from '../ops/write-history.js';

export interface NatsSetupOptions {
  /** nats://HOST:PORT */
  url: string;
  /** Where state lives (store/registry.ts): `file`, the gateway's file store (nodes reach it over NATS);
   *  `nats`, everything in JetStream KV. */
  store: StoreKind;
  /** `mud node` processes to start on this machine (0: all join from outside). */
  nodes: number;
  dataDir: string;
  world: string;
  log: Logger;
  /** This gateway's id in the cluster (`--gateway-id`): unique among live gateways. */
  gatewayId: string;
  /** The values of the store backend's own flags (bin/store-flags.ts: `--kv-replicas`). */
  storeFlags?: Readonly<Record<string, unknown>>;
  /** NATS credentials and TLS (`--nats-user` ..., MUD_NATS_*); its local nodes get the same. */
  access?: NatsAccess;
  /** A successor of `mud upgrade` goes on as its predecessor's gateway instance. */
  instance?: string;
}

export interface NatsSetup {
  lattice: NatsLattice;
  store: StateStore;
  /** The data dir's lock, taken before the file store opened: pass it to `startServer`. */
  lock: DataDirLock;
  /** This gateway's part in the cluster: its membership by heartbeats, the bus to the others'
   *  players (its own NATS connection), the live switch's messages. */
  cluster: ClusterCarrier;
}

/** Everything `mud serve --nats` needs before `startServer`: the connection, the
 *  store (the gateway's file store, or the KV bucket), and the NATS lattice with
 *  its local nodes joined. Pass `store` and `lattice` into `startServer`; both
 *  are closed by the server's shutdown. Benchmarks call this the same way. */
export async function setUpNats(o: NatsSetupOptions): Promise<NatsSetup> {
  const problem = checkDataDir(o.dataDir);
  if (problem) throw new Error(problem);
  // With the state in KV the data dir holds only this gateway's lock, crash marker and the admin token:
  // gateways on one machine may share it (each locks its own file), so two need only different ports.
  const lock = await DataDirLock.acquire(o.dataDir, storeSpec(o.store).caps.shared ? o.gatewayId : undefined);
  try {
    return await setUpLocked(o, lock);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function setUpLocked(o: NatsSetupOptions, lock: DataDirLock): Promise<NatsSetup> {
  const world = await loadLiveWorld(resolve(o.world));
  const link = await NatsLink.connect(o.url, { name: 'mud-gateway', log: o.log, access: o.access });
  let store: StateStore | undefined;
  let bus: NatsGatewayBus | undefined;
  const gateways = new GatewayMembership({ link, log: o.log, id: o.gatewayId, ports: { telnet: 0, http: 0, admin: 0 }, store: o.store, instance: o.instance });
  try {
    // Before any state is touched: a second gateway must share the cluster's state, never bring its own.
    await gateways.start();
    gateways.settle();
    const spec = storeSpec(o.store);
    const at = { dataDir: o.dataDir, link, flags: o.storeFlags, log: o.log };
    // The network lab's partition tests ask each process for its writes ($MUD_WRITE_HISTORY, ops/write-history.ts).
    store = recordHistoryFromEnv(await spec.open(at), o.gatewayId, () => null);
    const lattice = new NatsLattice({
      link, log: o.log, definition: world.definition, localNodes: o.nodes, nodePrefix: spec.caps.shared ? `${o.gatewayId}-` : '',
      store: { choice: spec.choice(at), serve: spec.caps.shared ? undefined : store },
    });
    bus = await NatsGatewayBus.open(o.url, o.gatewayId, o.log, o.access);
    await lattice.start();
    if (o.nodes === 0) o.log.info('waiting for nodes', { how: `mud node --nats ${o.url}` });
    return { lattice, store, lock, cluster: { shared: spec.caps.shared, gateways, bus, switchPeers: new NatsSwitchPeers(link, gateways, o.log) } };
  } catch (err) {
    gateways.close();
    await bus?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await link.close();
    throw err;
  }
}

/** Tells every player when NATS goes away and comes back: their commands wait meanwhile. */
export function announceOutages(lattice: NatsLattice, players: { sessionsList(): Attachable[] }, log: Logger): () => void {
  return lattice.onOutage((e) => {
    const line = e.down
      ? '*** The world holds its breath: the server lost touch with its nodes. Your commands wait and will run when it is back. ***'
      : `*** The world breathes again (paused ${(Math.round((e.downMs ?? 0) / 100) / 10).toFixed(1)} s). Carry on. ***`;
    const sessions = players.sessionsList();
    for (const s of sessions) s.tell(line);
    log.info(e.down ? 'players told play is paused' : 'players told play resumes', { players: sessions.length });
  });
}
