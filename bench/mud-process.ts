// A `mud` command (serve, node) as a real child process for a benchmark: spawned
// from dist/bin/mud.js with the arguments a user would type, its log kept to find
// its ports and to say why it failed, its CPU time and resident size read from
// /proc (all its threads), stopped with a signal as an operator would.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Status } from '../ops/status.js';
import { PACKAGE_ROOT } from '../support/paths.js';
import { sleep } from './scenario.js';

/** The built command, also when a test runs this file from source. */
const MUD = join(PACKAGE_ROOT, 'dist', 'bin', 'mud.js');
const CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in these
const READY_MS = 120_000;

export const ADMIN_TOKEN = 'bench-admin-token';

/** Bots send as fast as they are answered: no limit meant for people may bind. */
export const UNLIMITED = [
  '--commands-per-second', '1000000', '--command-burst', '1000000', '--input-lines-per-second', '1000000',
  '--input-bytes-per-second', String(1 << 30), '--login-timeout', '600', '--guests', '5000',
];

export interface MudProcess {
  id: string;
  child: ChildProcess;
  log(): string;
}

/** Spawns `mud <args>` and waits until its log matches `ready` (or it exits, or a deadline passes). */
export async function spawnMud(id: string, args: string[], ready: RegExp, o: { execArgv?: string[]; env?: Record<string, string> } = {}): Promise<MudProcess> {
  const child = spawn(process.execPath, [...(o.execArgv ?? []), MUD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
  let log = '';
  const keep = (d: Buffer) => { log = (log + d.toString()).slice(-200_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  for (let waited = 0; !ready.test(log); waited += 50) {
    if (waited > READY_MS || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`${id} did not start:\n${log.slice(-2000)}`);
    }
    await sleep(50);
  }
  return { id, child, log: () => log };
}

/** The port a `mud serve` logged for `what` (telnet, http, admin). */
export function listeningPort(p: MudProcess, what: string): number {
  const port = Number(new RegExp(`listening protocol=${what} address=[\\d.]+:(\\d+)`).exec(p.log())?.[1]);
  if (!port) throw new Error(`${p.id} logged no ${what} port:\n${p.log().slice(-2000)}`);
  return port;
}

/** CPU time (user + system, every thread) a process has used, in microseconds; 0 once it is gone. */
export function procCpuMicros(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Resident memory of a process from /proc/<pid>/status: in all, and its anonymous part (heaps, stacks). */
export function procRss(pid: number | undefined): { rss: number; anon: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kib('VmRSS'), anon: kib('RssAnon') };
  } catch {
    return { rss: 0, anon: 0 };
  }
}

/** GET or POST on a server's admin API with the bench's token. */
export async function adminCall<T>(adminPort: number, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  // A connection of its own for each call (agent: false): fetch reuses idle keep-alive connections,
  // and on a loaded machine the server closing an idle one (after 5 s) raced a POST sent on it,
  // which cannot be sent again (an upgrade twice): "fetch failed" in the bench smoke.
  const text = body === undefined ? undefined : JSON.stringify(body);
  const { status, payload } = await new Promise<{ status: number; payload: string }>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: adminPort, path, method, agent: false,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(text === undefined ? {} : { 'content-length': Buffer.byteLength(text) }) },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, payload: data }));
      res.on('error', reject);
    });
    req.on('error', (err) => reject(new Error(`admin ${method} ${path} on port ${adminPort}: ${err.message}`)));
    req.end(text);
  });
  const answer = JSON.parse(payload) as T & { error?: string };
  if (status < 200 || status >= 300) throw new Error(`admin ${method} ${path} on port ${adminPort}: ${status} ${answer.error ?? ''}`);
  return answer;
}

export function adminStatus(adminPort: number): Promise<Status> {
  return adminCall<Status>(adminPort, 'GET', '/admin/status');
}

/** Sends `signal` and waits for the exit; SIGKILL after 20 s. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
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
