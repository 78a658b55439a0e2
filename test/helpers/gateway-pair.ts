// Several `mud serve --nats --store nats` gateways over one NATS and shared
// `mud node` processes: the cluster-wide mode table and its live switch.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, checkBuilt, spawnNode, status, waitForNodes, type NodeProcess } from './nats-cluster.js';
import { spawnServer, type ServerProcess } from './server-process.js';
import { waitUntil } from './nats-server.js';
import { NatsLink } from '../../nats/nats-connection.js';
import { NatsKvStore } from '../../store/nats-kv-store.js';
import { silentLogger } from '../../support/logger.js';

export interface Gateway extends ServerProcess {
  id: string;
  dir: string;
}

export interface GatewayCluster {
  gateways: Gateway[];
  nodes: NodeProcess[];
  /** Starts (or starts again) gateway `id` with its own data dir. */
  start(id: string, extra?: string[]): Promise<Gateway>;
  /** The shared KV bucket, for conservation checks; close it after. */
  kv(): Promise<NatsKvStore>;
  close(): Promise<void>;
}

/** Gateways `ids` started in order (each hears the ones before it), then `nodes` joined from outside. */
export async function gatewayCluster(url: string, ids: string[], nodes: string[], extra: string[] = []): Promise<GatewayCluster> {
  checkBuilt();
  const dirs = new Map<string, string>();
  const c: GatewayCluster = {
    gateways: [],
    nodes: [],
    async start(id, more = extra) {
      const dir = dirs.get(id) ?? (await mkdtemp(join(tmpdir(), `mud-gw-${id}-`)));
      dirs.set(id, dir);
      const gw = await spawnServer(['--nats', url, '--store', 'nats', '--nodes', '0', '--gateway-id', id, '--data-dir', dir, '--admin-token', ADMIN_TOKEN, ...more]);
      const g: Gateway = Object.assign(gw, { id, dir });
      c.gateways = [...c.gateways.filter((x) => x.id !== id), g];
      return g;
    },
    async kv() {
      const link = await NatsLink.connect(url, { name: 'test', log: silentLogger() });
      return NatsKvStore.open(link, { ownsLink: true });
    },
    async close() {
      await Promise.all(c.gateways.map((g) => g.stop()));
      if (process.env.MUD_TEST_LOGS) {
        for (const g of c.gateways) await writeFile(join(process.env.MUD_TEST_LOGS, `gateway-${g.id}.log`), g.log());
        for (const n of c.nodes) await writeFile(join(process.env.MUD_TEST_LOGS, `${n.id}.log`), n.log());
      }
      await Promise.all(c.nodes.map((n) => n.stop()));
      await Promise.all([...dirs.values()].map((d) => rm(d, { recursive: true, force: true })));
    },
  };
  for (const id of ids) await c.start(id);
  c.nodes = await Promise.all(nodes.map((n) => spawnNode(url, n)));
  for (const g of c.gateways) await waitForNodes(g.adminPort, nodes);
  return c;
}

/** Waits until every gateway reports the same mode table and epoch; resolves with them. */
export async function agreed(gateways: Gateway[], timeoutMs = 30_000): Promise<{ mode: string; epoch: number }> {
  let seen: Array<{ id: string; mode: string; epoch: number }> = [];
  await waitUntil(async () => {
    seen = await Promise.all(gateways.map(async (g) => ({ id: g.id, ...(({ mode, epoch }) => ({ mode, epoch: epoch ?? -1 }))(await status(g.adminPort)) })));
    return seen.every((s) => s.mode === seen[0].mode && s.epoch === seen[0].epoch);
  }, timeoutMs, () => `gateways disagree: ${JSON.stringify(seen)}`);
  return { mode: seen[0].mode, epoch: seen[0].epoch };
}
