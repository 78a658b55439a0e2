// A benchmark's server in a child process (server-child.ts), so the bots that
// measure it do not share its event loop or its CPU accounting. Talks to it over
// IPC (memory, CPU time, stop) and over its admin API (status, live switch).

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Status } from '../ops/status.js';
import type { ChildMessage, ChildRequest, ServerSpec } from './server-child.js';
import type { BenchMode } from './scenario.js';

// A world of 1,000,000 objects takes a minute to load on a quiet machine, several on a busy one.
const START_TIMEOUT_MS = 600_000;
const STOP_TIMEOUT_MS = 20_000;

export interface StartOptions extends ServerSpec {
  /** Writes a V8 CPU profile per thread of the server here (node --cpu-prof). */
  profileDir?: string;
}

/** A server for a benchmark mode: `actor-sharded` is actor mode with a shard
 *  capacity; in-process needs no nodes unless the scenario switches modes later. */
export function startForMode(mode: BenchMode, o: { world: string; nodes: number; shardCapacity: number; profileDir?: string; store?: 'memory' | 'file' }): Promise<ServerProcess> {
  return ServerProcess.start({
    world: o.world, dispatch: mode === 'actor-sharded' ? 'actor' : mode, nodes: o.nodes,
    shardCapacity: mode === 'actor-sharded' ? o.shardCapacity : 0, store: o.store ?? 'memory', profileDir: o.profileDir,
  });
}

/** What a closed-loop or party cell needs of its server, whichever kind runs it:
 *  a forked startServer (this file, the dispatch layer) or `mud serve` (served-server.ts). */
export interface BenchServer {
  readonly telnetPort: number;
  status(): Promise<Status>;
  /** CPU time the whole server process has used, in microseconds. */
  cpuMicros(): Promise<number>;
  /** A live switch through the admin API, as an operator would make it. */
  dispatch(spec: string): Promise<{ modes: string; pausedMs: number; held: number }>;
  stop(): Promise<void>;
}

export class ServerProcess implements BenchServer {
  private waiting: Array<{ t: ChildMessage['t']; resolve: (m: ChildMessage) => void }> = [];
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly telnetPort: number,
    readonly httpPort: number,
    readonly adminPort: number,
    private readonly token: string,
    /** From fork to listening: process start, world load, nodes started. */
    readonly startupMs: number,
  ) {
    this.exited = new Promise((r) => child.once('exit', () => r()));
    child.on('message', (m: ChildMessage) => {
      const i = this.waiting.findIndex((w) => w.t === m.t);
      if (i >= 0) this.waiting.splice(i, 1)[0].resolve(m);
    });
  }

  static async start(o: StartOptions): Promise<ServerProcess> {
    const { profileDir, ...spec } = o;
    const execArgv = ['--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
    const started = performance.now();
    const child = fork(fileURLToPath(new URL('./server-child.js', import.meta.url)), [JSON.stringify(spec)], {
      execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<ChildMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      child.once('message', (m: ChildMessage) => {
        clearTimeout(timer);
        resolve(m);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server process exited with code ${code} before it was ready`));
      });
    }).catch((err: Error) => {
      child.kill('SIGKILL');
      throw err;
    });
    if (ready.t !== 'ready') {
      child.kill('SIGKILL');
      throw new Error(`server failed to start: ${ready.t === 'failed' ? ready.error : ready.t}`);
    }
    return new ServerProcess(child, ready.telnetPort, ready.httpPort, ready.adminPort, ready.adminToken, performance.now() - started);
  }


  /** Resident memory and heap of the server process, after a full GC of its main
   *  thread; settled: once resident memory stops falling (server-child.ts). */
  async memory(o: { settle?: boolean } = {}): Promise<{ rss: number; heapUsed: number; heapTotal: number; firstRss: number }> {
    const m = await this.ask({ t: 'memory', settle: o.settle }, 'memory');
    return m.t === 'memory' ? m : { rss: 0, heapUsed: 0, heapTotal: 0, firstRss: 0 };
  }

  /** CPU time the whole server process (all its threads) has used, in microseconds. */
  async cpuMicros(): Promise<number> {
    const m = await this.ask({ t: 'cpu' }, 'cpu');
    return m.t === 'cpu' ? m.micros : 0;
  }

  status(): Promise<Status> {
    return this.admin<Status>('GET', '/admin/status');
  }

  /** A live switch through the admin API, as an operator would make it. */
  dispatch(spec: string): Promise<{ modes: string; pausedMs: number; held: number }> {
    return this.admin('POST', '/admin/dispatch', { spec });
  }

  async admin<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${this.adminPort}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${answer.error ?? ''}`);
    return answer;
  }

  /** Stops the server (it saves and exits), or kills it if it will not go. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ t: 'stop' } satisfies ChildRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private ask(req: ChildRequest, reply: ChildMessage['t']): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error('server process is gone'));
      this.waiting.push({ t: reply, resolve });
      this.child.send(req);
    });
  }
}
