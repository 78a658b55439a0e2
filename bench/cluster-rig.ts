// A NATS cluster for a benchmark, as real processes: a nats-server with
// JetStream, `mud node` processes and any number of `mud serve --store nats`
// gateways, each with the per-player limits lifted (bots, not people). Reads
// each process's CPU time from /proc, so a figure per delivered line can be
// split between gateways and nodes.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Status } from '../dispatch/status.js';
import { sleep } from './scenario.js';

const MUD = fileURLToPath(new URL('../bin/mud.js', import.meta.url));
const TOKEN = 'bench-cluster-token';
const NATS_CANDIDATES = ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server'];
const CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in these

/** Bots send as fast as they are answered: no limit meant for people may bind. */
const UNLIMITED = [
  '--commands-per-second', '1000000', '--command-burst', '1000000', '--input-lines-per-second', '1000000',
  '--input-bytes-per-second', String(1 << 30), '--login-timeout', '600', '--guests', '5000',
];

export interface RigProcess {
  id: string;
  child: ChildProcess;
  log(): string;
}

export interface RigGateway extends RigProcess {
  telnetPort: number;
  adminPort: number;
}

export class ClusterRig {
  readonly gateways: RigGateway[] = [];
  readonly nodes: RigProcess[] = [];
  private readonly dirs: string[] = [];
  private nats: ChildProcess | undefined;
  url = '';

  private constructor(private readonly o: { mode: string; world: string }) {}

  /** nats-server and `nodes` node processes; gateways come with `addGateway`. */
  static async start(o: { mode: string; world: string; nodes: number }): Promise<ClusterRig> {
    const rig = new ClusterRig(o);
    try {
      await rig.startNats();
      for (let i = 1; i <= o.nodes; i++) rig.nodes.push(await rig.spawn(`n${i}`, ['node', '--nats', rig.url, '--id', `n${i}`], /node started/));
      return rig;
    } catch (err) {
      await rig.close();
      throw err;
    }
  }

  async addGateway(id: string): Promise<RigGateway> {
    const dir = await mkdtemp(join(tmpdir(), `mud-bench-${id}-`));
    this.dirs.push(dir);
    const p = await this.spawn(id, [
      'serve', '--nats', this.url, '--store', 'nats', '--nodes', '0', '--dispatch', this.o.mode, '--world', this.o.world,
      '--data-dir', dir, '--admin-token', TOKEN, '--gateway-id', id, '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', ...UNLIMITED,
    ], /info ready /);
    const port = (what: string) => Number(new RegExp(`listening protocol=${what} address=[\\d.]+:(\\d+)`).exec(p.log())?.[1]);
    const gw = { ...p, telnetPort: port('telnet'), adminPort: port('admin') };
    this.gateways.push(gw);
    // Ready = it sees every node (turns have somewhere to go) and every other gateway.
    for (let tries = 0; ; tries++) {
      const s = await this.status(gw);
      if (s.nodes.length - 1 >= this.nodes.length && (s.gateways?.length ?? 0) >= this.gateways.length) break;
      if (tries > 200) throw new Error(`gateway ${id} never saw the cluster`);
      await sleep(100);
    }
    return gw;
  }

  async status(gw: RigGateway): Promise<Status> {
    const res = await fetch(`http://127.0.0.1:${gw.adminPort}/admin/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (!res.ok) throw new Error(`status of ${gw.id}: ${res.status}`);
    return (await res.json()) as Status;
  }

  async dispatch(gw: RigGateway, spec: string): Promise<{ pausedMs: number }> {
    const res = await fetch(`http://127.0.0.1:${gw.adminPort}/admin/dispatch`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ spec }),
    });
    const answer = (await res.json()) as { pausedMs: number; error?: string };
    if (!res.ok) throw new Error(`dispatch on ${gw.id}: ${answer.error ?? res.status}`);
    return answer;
  }

  /** CPU time (user + system) a process has used, in microseconds. */
  cpuMicros(p: RigProcess): number {
    try {
      const stat = readFileSync(`/proc/${p.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
    } catch {
      return 0;
    }
  }

  kill9(p: RigProcess): Promise<void> {
    return stopChild(p.child, 'SIGKILL');
  }

  async close(): Promise<void> {
    await Promise.all(this.gateways.map((g) => stopChild(g.child, 'SIGTERM')));
    await Promise.all(this.nodes.map((n) => stopChild(n.child, 'SIGTERM')));
    if (this.nats) await stopChild(this.nats, 'SIGTERM');
    for (const d of this.dirs) await rm(d, { recursive: true, force: true });
  }

  private async startNats(): Promise<void> {
    const bin = NATS_CANDIDATES.find((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);
    if (!bin) throw new Error('nats-server is not installed (apt-get install nats-server): the cluster scenarios need it');
    const dir = await mkdtemp(join(tmpdir(), 'mud-bench-nats-'));
    this.dirs.push(dir);
    const child = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', '-1', '-sd', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.nats = child;
    let log = '';
    child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    for (let waited = 0; !/Server is ready/.test(log); waited += 50) {
      if (waited > 15_000 || child.exitCode !== null) throw new Error(`nats-server did not start:\n${log}`);
      await sleep(50);
    }
    const port = /Listening for client connections on [\d.]+:(\d+)/.exec(log)?.[1];
    this.url = `nats://127.0.0.1:${port}`;
  }

  private async spawn(id: string, args: string[], ready: RegExp): Promise<RigProcess> {
    const child = spawn(process.execPath, [MUD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (d: Buffer) => { log = (log + d.toString()).slice(-200_000); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    for (let waited = 0; !ready.test(log); waited += 50) {
      if (waited > 60_000 || child.exitCode !== null) throw new Error(`${id} did not start:\n${log}`);
      await sleep(50);
    }
    return { id, child, log: () => log };
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
