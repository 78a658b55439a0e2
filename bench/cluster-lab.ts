// The cluster as hosts on a network (bench/netns-rig.ts): three nats-servers routed as
// one cluster with JetStream (the KV bucket on all three), two gateways, four nodes, and
// a namespace for the bots, each with its own address. Processes reach each other by
// address only; the rig's partitions cut them apart. Used by `npm run cluster:lab`
// (bench/cluster-lab-main.ts) and test/netns-lab.test.ts.
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetnsRig } from './netns-rig.js';
import { DEFAULT_WORLD, PACKAGE_ROOT } from '../support/paths.js';
import { HISTORY_ENV } from '../ops/write-history.js';

export const MUD_JS = join(PACKAGE_ROOT, 'dist', 'bin', 'mud.js');
const READY_MS = 90_000;

export interface LabProcess {
  host: string;
  address: string;
  child: ChildProcess;
  log(): string;
}

export interface ClusterLab {
  rig: NetnsRig;
  nats: LabProcess[];
  gateways: LabProcess[];
  nodes: LabProcess[];
  /** `nats://a:4222,nats://b:4222,nats://c:4222` */
  urls: string;
  /** The world the gateways serve (a folder of world files). */
  world: string;
  /** With `history`: the folder where each gateway and node appends its writes of object records
   *  (`<host>.jsonl`, ops/write-history.ts), for bench/lab-history.ts to check. */
  historyDir?: string;
  /** Runs `mud <args>` in host `host` and resolves with its stdout (rejects on a non-zero exit). */
  mud(host: string, args: string[], timeoutMs?: number): Promise<string>;
  /** The same for a script of bench/ (`lab-traders`, `lab-audit`). */
  script(host: string, name: string, args: string[], timeoutMs?: number): Promise<string>;
  /** Waits until `p`'s log matches `pattern` (after `from` characters of it). */
  waitForLog(p: LabProcess, pattern: RegExp, timeoutMs?: number, from?: number): Promise<void>;
  close(): Promise<void>;
}

export interface LabOptions {
  nodes?: number;
  gateways?: number;
  /** Called with each process's log lines as they come (the lab's own console). */
  echo?: (host: string, line: string) => void;
  /** Each gateway and node records its writes of object records (a history to check, ops/history-check.ts). */
  history?: boolean;
  /** The world to serve: the default world, or one written into the lab's folder (given the folder, returns the world's). */
  world?: (dir: string) => Promise<string>;
}

/** Builds the rig and starts everything in it; on any failure removes all it made. */
export async function startClusterLab(o: LabOptions = {}): Promise<ClusterLab> {
  const rig = NetnsRig.create();
  const dir = await mkdtemp(join(tmpdir(), 'mud-lab-'));
  const started: LabProcess[] = [];
  const historyDir = o.history ? join(dir, 'history') : undefined;
  if (historyDir) await mkdir(historyDir);
  const run = (host: string, command: string, args: string[]): LabProcess => {
    const env = historyDir ? { ...process.env, [HISTORY_ENV]: join(historyDir, `${host}.jsonl`) } : process.env;
    const child = rig.spawn(host, command, args, { env });
    let log = '';
    const take = (d: Buffer) => {
      log += d.toString();
      if (o.echo) for (const line of d.toString().split('\n').filter(Boolean)) o.echo(host, line);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    const p = { host, address: rig.host(host).address, child, log: () => log };
    started.push(p);
    return p;
  };
  const waitForLog = async (p: LabProcess, pattern: RegExp, timeoutMs = READY_MS, from = 0): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(p.log().slice(from))) {
      if (p.child.exitCode !== null) throw new Error(`${p.host} exited with ${p.child.exitCode}:\n${p.log().slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`${p.host}: no ${pattern} within ${timeoutMs} ms:\n${p.log().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    const world = o.world ? await o.world(join(dir, 'world')) : DEFAULT_WORLD;
    const natsHosts = ['nats1', 'nats2', 'nats3'].map((h) => rig.addHost(h));
    const gwHosts = Array.from({ length: o.gateways ?? 2 }, (_, i) => rig.addHost(`gw${i + 1}`));
    const nodeHosts = Array.from({ length: o.nodes ?? 4 }, (_, i) => rig.addHost(`node${i + 1}`));
    rig.addHost('bots');
    const routes = natsHosts.map((h) => `nats-route://${h.address}:6222`).join(', ');
    const nats: LabProcess[] = [];
    for (const h of natsHosts) {
      const conf = join(dir, `${h.name}.conf`);
      await writeFile(conf, `server_name: ${h.name}\nlisten: ${h.address}:4222\nhttp: 127.0.0.1:8222\n`
        + `jetstream { store_dir: ${JSON.stringify(join(dir, h.name))} }\n`
        + `cluster { name: mudlab, listen: ${h.address}:6222, routes: [ ${routes} ] }\n`);
      nats.push(run(h.name, 'nats-server', ['-c', conf]));
    }
    await Promise.all(nats.map((p) => waitForLog(p, /Server is ready/)));
    // JetStream's leader election is the first gateway's to wait for (it retries the bucket for 30 s, logging why).
    const urls = natsHosts.map((h) => `nats://${h.address}:4222`).join(',');
    const gateways: LabProcess[] = [];
    for (const h of gwHosts) {
      // One after the other: the first creates the bucket and the mode table, the others find them.
      const gw = run(h.name, process.execPath, [MUD_JS, 'serve', '--host', h.address, '--nats', urls, '--store', 'nats', '--kv-replicas', '3',
        '--nodes', '0', '--dispatch', 'actor', '--world', world, '--gateway-id', h.name, '--data-dir', join(dir, h.name), '--admin-token', 'lab',
        '--commands-per-second', '1000', '--command-burst', '1000']);
      await waitForLog(gw, /info ready /);
      gateways.push(gw);
    }
    const nodes = nodeHosts.map((h) => run(h.name, process.execPath, [MUD_JS, 'node', '--nats', urls, '--id', h.name]));
    await Promise.all(nodes.map((n) => waitForLog(n, /node started/)));
    await Promise.all(gateways.map((g) => waitForLog(g, new RegExp(`node joined .*nodes=${nodes.length}`))));
    const exec = (host: string, args: string[], timeoutMs = 120_000) => new Promise<string>((resolve, reject) => {
      const child = rig.spawn(host, process.execPath, args);
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        // What it printed on both streams: `mud bots --json` says its errors on stdout.
        else reject(new Error(`${args.join(' ')} in ${host}: ${signal ?? `exit ${code}`}\n${err.slice(-2000)}${out.slice(-2000)}`));
      });
    });
    const mud = (host: string, args: string[], timeoutMs?: number) => exec(host, [MUD_JS, ...args], timeoutMs);
    const script = (host: string, name: string, args: string[], timeoutMs?: number) =>
      exec(host, [join(PACKAGE_ROOT, 'dist', 'bench', `${name}.js`), ...args], timeoutMs);
    return {
      rig, nats, gateways, nodes, urls, world, historyDir, mud, script, waitForLog,
      close: async () => {
        await rig.destroy();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rig.destroy(1_000);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
