// A NATS cluster for a benchmark, as real processes: a nats-server with
// JetStream, `mud node` processes and any number of `mud serve --store nats`
// gateways, each with the per-player limits lifted (bots, not people). Reads
// each process's CPU time from /proc, so a figure per delivered line can be
// split between gateways and nodes.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Status } from '../ops/status.js';
import { ADMIN_TOKEN, adminCall, adminStatus, listeningPort, procCpuMicros, spawnMud, stopChild, UNLIMITED, type MudProcess } from './mud-process.js';
import { sleep } from './scenario.js';

const NATS_CANDIDATES = ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server'];

export type RigProcess = MudProcess;

export interface RigGateway extends RigProcess {
  telnetPort: number;
  adminPort: number;
}

/** Messages the nats-server has taken in and sent out since it started (its /varz). */
export interface NatsCounts {
  inMsgs: number;
  outMsgs: number;
}

export class ClusterRig {
  readonly gateways: RigGateway[] = [];
  readonly nodes: RigProcess[] = [];
  private readonly dirs: string[] = [];
  private nats: ChildProcess | undefined;
  private natsMonitorPort = 0;
  url = '';

  private constructor(private readonly o: { mode: string; world: string; gatewayArgs: string[]; profileDir?: string }) {}

  /** nats-server and `nodes` node processes; gateways come with `addGateway`, each with `gatewayArgs` added. */
  static async start(o: { mode: string; world: string; nodes: number; gatewayArgs?: string[]; profileDir?: string }): Promise<ClusterRig> {
    const rig = new ClusterRig({ mode: o.mode, world: o.world, gatewayArgs: o.gatewayArgs ?? [], profileDir: o.profileDir });
    try {
      await rig.startNats();
      for (let i = 1; i <= o.nodes; i++) rig.nodes.push(await spawnMud(`n${i}`, ['node', '--nats', rig.url, '--id', `n${i}`], /node started/, rig.profiled(`n${i}`)));
      return rig;
    } catch (err) {
      await rig.close();
      throw err;
    }
  }

  async addGateway(id: string): Promise<RigGateway> {
    const dir = await mkdtemp(join(tmpdir(), `mud-bench-${id}-`));
    this.dirs.push(dir);
    const p = await spawnMud(id, [
      'serve', '--nats', this.url, '--store', 'nats', '--nodes', '0', '--dispatch', this.o.mode, '--world', this.o.world,
      '--data-dir', dir, '--admin-token', ADMIN_TOKEN, '--gateway-id', id, '--telnet-port', '0', '--http-port', '0', '--admin-port', '0',
      ...UNLIMITED, ...this.o.gatewayArgs,
    ], /info ready /, this.profiled(id));
    const gw = { ...p, telnetPort: listeningPort(p, 'telnet'), adminPort: listeningPort(p, 'admin') };
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

  /** A gateway leaves as an operator stops one (SIGTERM): it is gone from `gateways` once it has exited. */
  async removeGateway(gw: RigGateway): Promise<void> {
    await stopChild(gw.child, 'SIGTERM');
    const at = this.gateways.indexOf(gw);
    if (at >= 0) this.gateways.splice(at, 1);
  }

  /** With a profile directory (`npm run bench -- --profile <dir>`), each process writes a V8 CPU profile as it exits. */
  private profiled(id: string): { execArgv?: string[] } {
    const dir = this.o.profileDir;
    // One directory per process: each of its threads (main, nodes, script threads) writes a profile of its own.
    return dir ? { execArgv: ['--cpu-prof', '--cpu-prof-dir', join(dir, `${this.o.mode}-${id}-${Date.now()}`)] } : {};
  }

  status(gw: RigGateway): Promise<Status> {
    return adminStatus(gw.adminPort);
  }

  dispatch(gw: RigGateway, spec: string): Promise<{ pausedMs: number }> {
    return adminCall(gw.adminPort, 'POST', '/admin/dispatch', { spec });
  }

  /** CPU time (user + system) a process has used, in microseconds. */
  cpuMicros(p: RigProcess): number {
    return procCpuMicros(p.child.pid);
  }

  /** The nats-server's own CPU time, in microseconds. */
  natsCpuMicros(): number {
    return procCpuMicros(this.nats?.pid);
  }

  /** Messages through the nats-server so far (its monitoring endpoint). */
  async natsCounts(): Promise<NatsCounts> {
    const res = await fetch(`http://127.0.0.1:${this.natsMonitorPort}/varz`);
    if (!res.ok) throw new Error(`nats-server /varz: HTTP ${res.status}`);
    const v = (await res.json()) as { in_msgs: number; out_msgs: number };
    return { inMsgs: v.in_msgs, outMsgs: v.out_msgs };
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
    const child = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', '-1', '-m', '-1', '-sd', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.nats = child;
    let log = '';
    child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    for (let waited = 0; !/Server is ready/.test(log); waited += 50) {
      if (waited > 15_000 || child.exitCode !== null) throw new Error(`nats-server did not start:\n${log}`);
      await sleep(50);
    }
    const port = /Listening for client connections on [\d.]+:(\d+)/.exec(log)?.[1];
    this.natsMonitorPort = Number(/Starting http monitor on [\d.]+:(\d+)/.exec(log)?.[1]);
    this.url = `nats://127.0.0.1:${port}`;
  }
}
