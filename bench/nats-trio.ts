// Three real `nats-server -js` processes joined as one cluster on loopback: a
// config file each (distinct server_name, routes to all three, JetStream store),
// started and waited for until JetStream has a meta leader; any one can be
// killed with -9 and started again on the same ports and store. Monitoring
// (/connz, /jsz, /routez) tells which server a client is on and when one rejoined.
// Used by test/nats-trio.test.ts (through test/helpers/nats-trio.ts) and the natskill bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';

export const TRIO_CLUSTER = 'mud-trio';
const READY_MS = 30_000;

export interface TrioServer {
  /** `trio-1` .. `trio-3`: the server_name JetStream reports. */
  name: string;
  url: string;
  port: number;
  monitorPort: number;
  running: boolean;
}

export interface NatsTrio {
  servers: TrioServer[];
  /** All three client URLs, comma-separated: what `--nats` takes. */
  urls: string;
  /** kill -9 of server `i`: no goodbye, no lame-duck mode. */
  kill9(i: number): Promise<void>;
  /** Starts server `i` again on its ports and store dir, and waits until it is routed to the others. */
  restart(i: number): Promise<void>;
  /** The index of the server holding a client connection with this name (`mud-gateway`), if any. */
  serverOf(clientName: string): Promise<number | undefined>;
  /** The index of a server by its server_name (as JetStream's stream info names leaders). */
  indexOf(name: string): number;
  /** Waits until the running servers agree on a JetStream meta leader. */
  waitForMetaLeader(): Promise<string>;
  cleanup(): Promise<void>;
}

/** Monitoring JSON of a running server (`/jsz`, `/connz`, `/routez`). */
export async function monitor<T>(s: TrioServer, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${s.monitorPort}${path}`);
  if (!res.ok) throw new Error(`${s.name}${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Three servers of the `nats-server` binary `bin`, routed, with a JetStream meta leader. */
export async function startNatsTrio(bin: string): Promise<NatsTrio> {
  const dir = await mkdtemp(join(tmpdir(), 'mud-nats-trio-'));
  const ports = await distinctPorts(9);
  const servers: TrioServer[] = [0, 1, 2].map((i) => ({
    name: `trio-${i + 1}`, port: ports[i], monitorPort: ports[6 + i], url: `nats://127.0.0.1:${ports[i]}`, running: false,
  }));
  const routes = [3, 4, 5].map((i) => `nats-route://127.0.0.1:${ports[i]}`);
  const configs: string[] = [];
  for (const [i, s] of servers.entries()) {
    await mkdir(join(dir, s.name), { recursive: true });
    configs.push(join(dir, `${s.name}.conf`));
    await writeFile(configs[i], [
      `server_name: ${s.name}`,
      `listen: 127.0.0.1:${s.port}`,
      `http: 127.0.0.1:${s.monitorPort}`,
      `jetstream { store_dir: ${JSON.stringify(join(dir, s.name))} }`,
      `cluster {`,
      `  name: ${TRIO_CLUSTER}`,
      `  listen: 127.0.0.1:${ports[3 + i]}`,
      `  routes: [ ${routes.join(', ')} ]`,
      `}`,
      '',
    ].join('\n'));
  }
  const children: Array<ChildProcess | undefined> = [undefined, undefined, undefined];
  const logs = ['', '', ''];

  const launch = async (i: number): Promise<void> => {
    const child = spawn(bin, ['-c', configs[i]], { stdio: ['ignore', 'ignore', 'pipe'] });
    children[i] = child;
    logs[i] = '';
    child.stderr!.on('data', (d: Buffer) => { logs[i] = (logs[i] + d.toString()).slice(-8000); });
    await waitUntil(() => /Server is ready/.test(logs[i]) || child.exitCode !== null, READY_MS, () => `${servers[i].name} did not start:\n${logs[i]}`);
    if (child.exitCode !== null) throw new Error(`${servers[i].name} exited with ${child.exitCode}:\n${logs[i]}`);
    servers[i].running = true;
  };
  const routed = (i: number) => waitUntil(async () => {
    const others = servers.filter((s, j) => j !== i && s.running).length;
    return (await monitor<{ num_routes: number }>(servers[i], '/routez').catch(() => ({ num_routes: -1 }))).num_routes >= others;
  }, READY_MS, () => `${servers[i].name} is not routed to the other servers:\n${logs[i]}`);

  const waitForMetaLeader = async (): Promise<string> => {
    let leaders: string[] = [];
    await waitUntil(async () => {
      const live = servers.filter((s) => s.running);
      leaders = await Promise.all(live.map(async (s) => (await monitor<{ meta_cluster?: { leader?: string } }>(s, '/jsz').catch(() => ({ meta_cluster: undefined }))).meta_cluster?.leader ?? ''));
      return leaders.every((l) => l !== '' && l === leaders[0]);
    }, READY_MS, () => `no JetStream meta leader agreed on (servers say: ${leaders.map((l) => l || 'none').join(', ')})`);
    return leaders[0];
  };

  const kill9 = async (i: number): Promise<void> => {
    const c = children[i];
    children[i] = undefined;
    servers[i].running = false;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };

  const trio: NatsTrio = {
    servers,
    urls: servers.map((s) => s.url).join(','),
    kill9,
    restart: async (i) => {
      await launch(i);
      await routed(i);
    },
    serverOf: async (clientName) => {
      for (const [i, s] of servers.entries()) {
        if (!s.running) continue;
        const connz = await monitor<{ connections?: Array<{ name?: string }> }>(s, '/connz?limit=1024').catch(() => ({ connections: [] }));
        if (connz.connections?.some((c) => c.name === clientName)) return i;
      }
      return undefined;
    },
    indexOf: (name) => {
      const i = servers.findIndex((s) => s.name === name);
      if (i < 0) throw new Error(`no server named ${name} in the trio (${servers.map((s) => s.name).join(', ')})`);
      return i;
    },
    waitForMetaLeader,
    cleanup: async () => {
      for (const i of [0, 1, 2]) await kill9(i);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all([0, 1, 2].map(launch));
    await Promise.all([0, 1, 2].map(routed));
    await waitForMetaLeader();
  } catch (err) {
    await trio.cleanup();
    throw err;
  }
  return trio;
}

/** `n` loopback ports free right now, none repeated: all held open at once, then let go. */
async function distinctPorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Polls `test` every 50 ms until it holds; fails with `what()` after `timeoutMs`. */
async function waitUntil(test: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await test()); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
  }
}

export interface Replication {
  leader: string;
  /** The followers: `current` once caught up with the leader. */
  replicas: Array<{ name: string; current: boolean; offline: boolean }>;
}

/** Where JetStream keeps a KV bucket's copies right now (its stream's cluster info). */
export async function kvReplication(nc: NatsConnection, bucket: string): Promise<Replication> {
  const status = await (await new Kvm(nc).open(bucket)).status();
  const cluster = status.streamInfo.cluster;
  return {
    leader: cluster?.leader ?? '',
    replicas: (cluster?.replicas ?? []).map((r) => ({ name: r.name, current: r.current, offline: !!r.offline })),
  };
}
