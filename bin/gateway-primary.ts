import cluster, { type Worker } from 'node:cluster';
import { resolve } from 'node:path';
import type { Logger } from '../support/logger.js';
import { checkDataDir } from '../support/paths.js';
import { storeSpec } from '../store/registry.js';
import type { StateStore } from '../store/state-store.js';
import { WorkerLattice } from '../lattice/worker/worker-lattice.js';
import { nodeWorkerFile } from '../modes/node-worker-file.js';
import { GatewayRelay } from '../cluster/gateway-relay.js';
import { forkedGatewayId, GATEWAY_ID_ENV } from '../cluster/forked-wire.js';
import { ClusterModes } from '../cluster/cluster-modes.js';
import { gatewayModeRefusal } from '../cluster/cluster-switch.js';
import { gatewayModeIn } from '../modes/registry.js';
import { formatModeTable, modesIn, type ModeTable } from '../dispatch/mode-table.js';
import { tableFromSnapshot } from '../modes/parse-modes.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import { sweepOccupants } from '../ops/sweep.js';
import { DataDirLock } from './data-dir-lock.js';
import { loadBuiltWorld } from './built-world.js';
import { adminTokenFor } from './admin-token.js';

export interface GatewayPrimaryOptions {
  gateways: number;
  dataDir: string;
  world: string;
  /** The mode table `--dispatch` asks for (the store's, if it has one, is the cluster's). */
  table: ModeTable;
  nodes: number;
  maxNodeHeapMb?: number;
  readCache?: boolean;
  adminToken?: string;
  log: Logger;
}

/** How long gateways get to stop on SIGTERM before they are killed. */
const STOP_MS = 30_000;

/** The primary of `mud serve --gateways N`: it holds the data dir, the file store and the node
 *  threads, forks N gateway processes that listen on the same ports (Node's `cluster` module hands
 *  each accepted connection to one of them), relays what they say to each other, and forks again one
 *  that dies. It serves no player itself. Resolves with the way to stop it all. */
export async function runGatewayPrimary(o: GatewayPrimaryOptions): Promise<(reason: string) => Promise<void>> {
  const problem = checkDataDir(o.dataDir);
  if (problem) throw new Error(problem);
  const lock = await DataDirLock.acquire(o.dataDir);
  let store: StateStore | undefined;
  let lattice: WorkerLattice | undefined;
  try {
    store = await storeSpec('file').open({ dataDir: o.dataDir, log: o.log });
    await refuseGatewayModes(store, o);
    let definition: WorldDefinition = (await loadBuiltWorld(resolve(o.world), store)).world.definition;
    // No gateway runs yet: whoever stands in a room was left there by the last run.
    const swept = await sweepOccupants(store);
    if (swept) o.log.info('rooms swept', { rooms: swept, why: 'occupants left from the last run' });
    lattice = new WorkerLattice({ store, definition: () => definition, log: o.log, maxHeapMb: o.maxNodeHeapMb, readCache: o.readCache, entry: nodeWorkerFile() });
    await lattice.start(o.nodes);
    const relay = new GatewayRelay({ store, lattice, log: o.log, worldSent: (d) => (definition = d) });
    const token = await adminTokenFor(o);
    return fork(o, relay, token, async () => {
      relay.close();
      await lattice!.close();
      await store!.close();
      await lock.release();
    });
  } catch (err) {
    await lattice?.close();
    await store?.close();
    await lock.release();
    throw err;
  }
}

/** With several gateways, a mode whose objects live on the gateway would run a copy on each. */
async function refuseGatewayModes(store: StateStore, o: GatewayPrimaryOptions): Promise<void> {
  if (o.gateways < 2) return;
  const stored = await new ClusterModes(store).read();
  const table = stored ? tableFromSnapshot(stored.record.table) : o.table;
  const mode = gatewayModeIn(modesIn(table));
  if (!mode) return;
  const others = Array.from({ length: o.gateways - 1 }, (_, i) => forkedGatewayId(i + 2));
  const whose = stored ? `the mode table kept in ${o.dataDir} (${formatModeTable(table)})` : `--dispatch ${formatModeTable(table)}`;
  throw new Error(`${whose} names ${mode}: ${gatewayModeRefusal(mode, others)}`);
}

function fork(o: GatewayPrimaryOptions, relay: GatewayRelay, adminToken: string, release: () => Promise<void>): Promise<(reason: string) => Promise<void>> {
  // JSON over the channel: measured against 'advanced' (structured clone) on the uniform bench, it
  // carried twice the commands per second (docs/BENCHMARKS.md, "Gateways on one machine").
  cluster.setupPrimary({ serialization: 'json' });
  const workers = new Map<string, Worker>();
  let stopping = false;
  let fatal: (err: Error) => void = () => undefined;
  const start = (id: string): void => {
    const worker = cluster.fork({ [GATEWAY_ID_ENV]: id, MUD_ADMIN_TOKEN: adminToken });
    workers.set(id, worker);
    let listening = false;
    // A message to a gateway killed a moment ago (its channel closed, its exit not yet told) is lost with it, as
    // its kill loses the rest: told to a callback, the closed channel's error cannot take the primary down.
    let dropping = false;
    const lost = (err: Error | null): void => {
      if (!err || dropping) return;
      dropping = true;
      o.log.warn('messages to a dead gateway dropped', { gateway: id, error: err.message });
    };
    relay.attach(id, { postMessage: (v) => worker.send(v as object, lost), on: (_event, listener) => worker.on('message', listener) });
    worker.on('listening', () => (listening = true));
    worker.on('exit', (code, signal) => {
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      relay.detach(id, how);
      workers.delete(id);
      if (stopping) return;
      if (!listening) return fatal(new Error(`gateway ${id} ${how} before it listened`));
      o.log.warn('gateway process died', { gateway: id, pid: worker.process.pid, how, action: 'starting it again' });
      start(id);
    });
  };
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    o.log.info('stopping gateways', { reason, gateways: workers.size });
    await Promise.all([...workers.values()].map((w) => new Promise<void>((done) => {
      if (w.isDead()) return done();
      const kill = setTimeout(() => w.process.kill('SIGKILL'), STOP_MS);
      w.once('exit', () => {
        clearTimeout(kill);
        done();
      });
      w.process.kill('SIGTERM');
    })));
    await release();
    o.log.info('stopped', { reason });
  };
  // A new certificate (certbot's deploy hook signals the server's pid): every gateway loads it.
  process.on('SIGHUP', () => {
    for (const w of workers.values()) w.process.kill('SIGHUP');
  });
  o.log.info('gateways starting', { gateways: o.gateways, nodes: o.nodes, dispatch: formatModeTable(o.table) });
  return new Promise((resolveStart, rejectStart) => {
    fatal = (err) => void stop('a gateway failed to start').finally(() => rejectStart(err));
    let up = 0;
    cluster.on('listening', function counted(this: unknown) {
      // Each gateway listens three times (telnet, http, admin): up once all of them did.
      if (++up < o.gateways * 3) return;
      cluster.off('listening', counted);
      o.log.info('gateways ready', { gateways: o.gateways, pids: [...workers.values()].map((w) => w.process.pid).join(',') });
      fatal = (err) => o.log.error('gateway failed to start again', { why: err.message });
      resolveStart(stop);
    });
    for (let i = 1; i <= o.gateways; i++) start(forkedGatewayId(i));
  });
}
