// A cluster of real processes for the cross-gateway benchmarks: one
// `nats-server -js` on a port it picks, and `mud serve --nats --store nats`
// gateways (the first starts the `mud node` processes), each on ports it picks.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../bin/paths.js';
import type { Status } from '../dispatch/status.js';

const MUD = join(PACKAGE_ROOT, 'dist', 'bin', 'mud.js');
const TOKEN = 'bench-gateways';
const START_MS = 60_000;

export interface BenchGateway {
  id: string;
  telnetPort: number;
  adminPort: number;
  status(): Promise<Status>;
  dispatch(spec: string): Promise<{ modes: string; epoch: number; pausedMs: number; held: number }>;
}

export interface BenchGatewayCluster {
  gateways: BenchGateway[];
  close(): Promise<void>;
}

/** Starts NATS, then `ids` gateways one after another (each hears those before it); the first starts `nodes` nodes. */
export async function startGatewayCluster(o: { ids: string[]; nodes: number; dispatch: string; world: string }): Promise<BenchGatewayCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'mud-bench-gw-'));
  const children: ChildProcess[] = [];
  let closing = false;
  const close = async (): Promise<void> => {
    closing = true;
    for (const c of children.reverse()) await stopChild(c);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const died = (what: string, log: () => string) => (code: number | null, signal: string | null) => {
      if (!closing) process.stderr.write(`[bench] ${what} exited (${signal ?? code}) during the run; its last output:\n${log().slice(-4000)}\n`);
    };
    const nats = await startChild(children, died, 'nats-server', ['-js', '-a', '127.0.0.1', '-p', '-1', '-sd', join(dir, 'nats')], /Listening for client connections on [\d.]+:(\d+)/);
    const url = `nats://127.0.0.1:${nats[0]}`;
    const gateways: BenchGateway[] = [];
    for (const [i, id] of o.ids.entries()) {
      const args = [MUD, 'serve', '--nats', url, '--store', 'nats', '--gateway-id', id, '--nodes', String(i === 0 ? o.nodes : 0), '--dispatch', o.dispatch,
        '--world', o.world, '--data-dir', join(dir, id), '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', '--admin-token', TOKEN];
      const [telnetPort, adminPort] = await startChild(children, died, process.execPath, args, /listening protocol=telnet address=[\d.]+:(\d+)[\s\S]*listening protocol=admin address=[\d.]+:(\d+)[\s\S]*ready /);
      gateways.push(gateway(id, telnetPort, adminPort));
    }
    // Every gateway sees every node before the clock starts.
    const deadline = Date.now() + START_MS;
    while (!(await Promise.all(gateways.map(async (g) => (await g.status()).nodes.length > o.nodes))).every(Boolean)) {
      if (Date.now() > deadline) throw new Error(`the gateways did not all see ${o.nodes} nodes within ${START_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { gateways, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function gateway(id: string, telnetPort: number, adminPort: number): BenchGateway {
  const admin = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${adminPort}${path}`, {
      method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`gateway ${id}: ${method} ${path}: ${res.status} ${answer.error ?? ''}`);
    return answer;
  };
  return {
    id, telnetPort, adminPort,
    status: () => admin('GET', '/admin/status'),
    dispatch: (spec) => admin('POST', '/admin/dispatch', { spec }),
  };
}

type Died = (what: string, log: () => string) => (code: number | null, signal: string | null) => void;

/** Spawns a process and resolves with the numbers `ready` captures from its output; its
 *  last output is kept, and shown if it exits while the benchmark runs. */
function startChild(children: ChildProcess[], died: Died, bin: string, args: string[], ready: RegExp): Promise<number[]> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  let started = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} did not start within ${START_MS / 1000} s:\n${log.slice(-2000)}`)), START_MS);
    const scan = (d: Buffer) => {
      log = (log + d.toString()).slice(-20_000);
      const m = started ? null : ready.exec(log);
      if (!m) return;
      started = true;
      clearTimeout(timer);
      const id = args.indexOf('--gateway-id');
      child.once('exit', died(id >= 0 ? `gateway ${args[id + 1]}` : bin, () => log));
      resolve(m.slice(1).map(Number));
    };
    child.stdout!.on('data', scan);
    child.stderr!.on('data', scan);
    child.once('error', (err) => reject(new Error(`${bin}: ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`${bin} exited with ${code}:\n${log.slice(-2000)}`)));
  });
}

async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGTERM');
  const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
