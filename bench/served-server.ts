// What ships, as a benchmark's server: `mud serve` as its own process, with the
// flags a user types (a world, a dispatch mode, the default 3 worker-thread nodes
// unless told otherwise) and the environment `npm start` gives it, the journaled file store in a fresh data dir, the real
// password hash, and only the per-player limits lifted (bots are not people).
// Unlike server-child.ts (the dispatch layer: memory store, cheap hash, startServer
// called in a forked child), nothing here is set up differently from a real server.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Status } from '../ops/status.js';
import { ADMIN_TOKEN, adminCall, adminStatus, listeningPort, procCpuMicros, procRss, spawnMud, stopChild, UNLIMITED, type MudProcess } from './mud-process.js';
import type { BenchServer } from './server-process.js';
import { ALLOC_DIR_ENV } from './alloc-sampler.js';

const ALLOC_SAMPLER = fileURLToPath(new URL('./alloc-sampler.js', import.meta.url));

/** The environment `npm start` and deploy/lattice-mud.service give `mud serve` (test/deploy-units.test.ts
 *  holds the three to one value): glibc's mmap threshold fixed, so a password hash's 16 MiB goes back to
 *  the system when the hash ends (docs/OPERATIONS.md, "Memory"). */
export const SHIPPED_ENV = { MALLOC_MMAP_THRESHOLD_: '1048576' };

export interface ServedSpec {
  world: string;
  /** `in-process`, `actor` or `function` (`--dispatch`). */
  dispatch: string;
  /** `--nodes`; undefined keeps the shipped default (3). */
  nodes?: number;
  shardCapacity?: number;
  /** False: function mode runs again every commit that loses (`--no-merge`). */
  merge?: boolean;
  /** Writes a V8 CPU profile per thread here (node --cpu-prof). */
  profileDir?: string;
  /** Loads bench/alloc-sampler.ts into the server, writing the gateway thread's allocation profiles here (alloc-meter.ts). */
  allocDir?: string;
}

export class ServedServer implements BenchServer {
  private constructor(
    private readonly proc: MudProcess,
    private readonly dataDir: string,
    readonly telnetPort: number,
    readonly adminPort: number,
    /** From spawn to `ready` in the log: process start, world load, nodes started. */
    readonly startupMs: number,
  ) {}

  static async start(spec: ServedSpec): Promise<ServedServer> {
    const dataDir = await mkdtemp(join(tmpdir(), 'mud-bench-served-'));
    const started = performance.now();
    try {
      const proc = await spawnMud('mud serve', [
        'serve', '--world', spec.world, '--data-dir', dataDir, '--dispatch', spec.dispatch,
        ...(spec.nodes === undefined ? [] : ['--nodes', String(spec.nodes)]),
        ...(spec.shardCapacity ? ['--shard-capacity', String(spec.shardCapacity)] : []),
        ...(spec.merge === false ? ['--no-merge'] : []),
        '--admin-token', ADMIN_TOKEN, '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', ...UNLIMITED,
      ], /info ready /, {
        execArgv: [...(spec.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${spec.profileDir}`] : []), ...(spec.allocDir ? ['--import', ALLOC_SAMPLER] : [])],
        env: spec.allocDir ? { ...SHIPPED_ENV, [ALLOC_DIR_ENV]: spec.allocDir } : SHIPPED_ENV,
      });
      return new ServedServer(proc, dataDir, listeningPort(proc, 'telnet'), listeningPort(proc, 'admin'), performance.now() - started);
    } catch (err) {
      await rm(dataDir, { recursive: true, force: true });
      throw err;
    }
  }

  get pid(): number | undefined {
    return this.proc.child.pid;
  }

  log(): string {
    return this.proc.log();
  }

  status(): Promise<Status> {
    return adminStatus(this.adminPort);
  }

  dispatch(spec: string): Promise<{ modes: string; pausedMs: number; held: number }> {
    return adminCall(this.adminPort, 'POST', '/admin/dispatch', { spec });
  }

  /** CPU time the whole process (every thread) has used, in microseconds, from /proc. */
  async cpuMicros(): Promise<number> {
    return procCpuMicros(this.pid);
  }

  /** Resident memory now, from /proc (no GC forced: what an operator's `ps` shows). */
  rss(): { rss: number; anon: number } {
    return procRss(this.pid);
  }

  /** SIGTERM, as an operator stops it (it saves and exits); then its data dir goes. */
  async stop(): Promise<void> {
    await stopChild(this.proc.child, 'SIGTERM');
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Samples a server's resident size every `everyMs` until stopped: the peak and the mean. */
export function sampleRss(server: ServedServer, everyMs = 250): { stop(): { peak: number; mean: number; anonPeak: number } } {
  let peak = 0;
  let anonPeak = 0;
  let sum = 0;
  let n = 0;
  const take = () => {
    const m = server.rss();
    if (!m.rss) return;
    peak = Math.max(peak, m.rss);
    anonPeak = Math.max(anonPeak, m.anon);
    sum += m.rss;
    n += 1;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return { peak, mean: n ? sum / n : 0, anonPeak };
    },
  };
}
