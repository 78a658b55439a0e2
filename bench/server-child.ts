// The server side of a benchmark, in a process of its own (started by
// server-process.ts): the real server from bin/server.ts on port 0 with cheap
// password hashing and no rate limits, answering a few questions over IPC that
// the admin API does not (memory after a GC, CPU time). Bots never run here.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../bin/server.js';
import type { RunningServer } from '../bin/server-options.js';
import { Logger } from '../support/logger.js';
import { MemoryStore } from '../store/memory-store.js';

/** What the parent asks for; passed as JSON in argv[2]. */
export interface ServerSpec {
  world: string;
  dispatch: string;
  nodes: number;
  shardCapacity?: number;
  /** `memory` measures the dispatch layer alone; `file` is the real durable store. */
  store: 'memory' | 'file';
  /** Keep the data here (and leave it) instead of a temporary dir: the soak audits it after. */
  dataDir?: string;
  /** `served`: the limits `mud serve` has by default, on loopback too (the attack run). Default: none bind. */
  limits?: 'none' | 'served';
}

/** `settle`: measure the idle server, after start-up's garbage is given back (see settledMemory). */
export type ChildRequest = { t: 'memory'; settle?: boolean } | { t: 'cpu' } | { t: 'stop' };
export type ChildMessage =
  | { t: 'ready'; telnetPort: number; httpPort: number; adminPort: number; adminToken: string; startMs: number }
  | { t: 'memory'; rss: number; heapUsed: number; heapTotal: number; firstRss: number }
  | { t: 'cpu'; micros: number; at: number }
  | { t: 'stopped'; warnings: number }
  | { t: 'failed'; error: string };

const SHOWN_WARNINGS = 10;
let warnings = 0;
let stopping = false;

/** Prints the first few warnings and errors (a benchmark that goes wrong should say why), counts the rest. */
const log = new Logger((line) => {
  const level = line.split(' ')[1];
  if (level !== 'warn' && level !== 'error') return;
  // Closing with a thousand players online makes the engine retry their leaving
  // turns on nodes that are shutting down: expected, and not what was measured.
  if (stopping) return;
  warnings += 1;
  if (warnings <= SHOWN_WARNINGS) process.stderr.write(`[server] ${line}\n`);
  if (warnings === SHOWN_WARNINGS) process.stderr.write('[server] (further warnings counted, not shown)\n');
});

function send(m: ChildMessage, then?: () => void): void {
  if (!process.send || !process.connected) return then?.();
  process.send(m, undefined, {}, () => then?.());
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ServerSpec;
  const dataDir = spec.dataDir ?? (await mkdtemp(join(tmpdir(), 'mud-bench-')));
  const started = performance.now();
  const server: RunningServer = await startServer({
    host: '127.0.0.1', telnetPort: 0, httpPort: 0, adminPort: 0, world: spec.world, dataDir, dispatch: spec.dispatch, nodes: spec.nodes,
    // The attack run measures what ships, the real password hash included; elsewhere logins are not what is measured.
    shardCapacity: spec.shardCapacity ?? 0, log, kdfCost: spec.limits === 'served' ? undefined : 1024, store: spec.store === 'memory' ? new MemoryStore() : undefined,
    // Closed-loop bots send as fast as they are answered: no per-player limit should bind,
    // unless the run is about the limits themselves.
    ...(spec.limits === 'served'
      ? { connections: { exemptLoopback: false } }
      : { limits: { commandsPerSecond: 1_000_000, commandBurst: 1_000_000, loginTimeoutMs: 600_000 }, input: { bytesPerSecond: 1 << 30, linesPerSecond: 1_000_000 } }),
  });
  send({ t: 'ready', telnetPort: server.telnetPort, httpPort: server.httpPort, adminPort: server.adminPort, adminToken: server.adminToken, startMs: performance.now() - started });
  // The parent went away, or Ctrl-C reached the whole process group: save, clean up, go.
  const temporary = spec.dataDir ? undefined : dataDir;
  process.on('message', (m: ChildRequest) => void answer(m, server, temporary));
  process.on('disconnect', () => void stop(server, temporary));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(server, temporary));
}

async function answer(m: ChildRequest, server: RunningServer, dataDir: string | undefined): Promise<void> {
  if (m.t === 'memory') send({ t: 'memory', ...(await settledMemory(m.settle === true)) });
  else if (m.t === 'cpu') {
    const u = process.cpuUsage();
    send({ t: 'cpu', micros: u.user + u.system, at: performance.now() });
  } else await stop(server, dataDir);
}

const SETTLE_LIMIT_MS = 60_000;
const SETTLE_STEP_MS = 500;

/** Memory after a full GC of the main thread. Settled: GCs half a second apart until
 *  resident memory stops falling (three steps within 1%, at most a minute).
 *  V8 hands freed pages back to the OS after the collection that freed them, so
 *  right after a large start-up the first reading still holds the start-up's
 *  garbage; an idle server gets to the settled figure on its own within about a
 *  minute (V8's memory reducer; docs/BENCHMARKS.md, "Issue 15: memory"). */
async function settledMemory(settle: boolean): Promise<{ rss: number; heapUsed: number; heapTotal: number; firstRss: number }> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const firstRss = process.memoryUsage.rss();
  let last = firstRss;
  for (let steady = 0, waited = 0; settle && steady < 3 && waited < SETTLE_LIMIT_MS; waited += SETTLE_STEP_MS) {
    await new Promise((r) => setTimeout(r, SETTLE_STEP_MS));
    gc();
    const rss = process.memoryUsage.rss();
    steady = rss >= last * 0.99 ? steady + 1 : 0;
    last = Math.min(last, rss);
  }
  const mem = process.memoryUsage();
  return { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, firstRss };
}

async function stop(server: RunningServer, dataDir: string | undefined): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close('benchmark done').catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  // Exit once the parent has the message; exiting also writes a --cpu-prof profile.
  send({ t: 'stopped', warnings }, () => process.exit(0));
}

main().catch((err: Error) => send({ t: 'failed', error: err.message }, () => process.exit(1)));
