// The bytes a benchmarked `mud serve`'s gateway thread allocates during a cell's window (`--alloc-profile <dir>`):
// bench/alloc-sampler.ts runs inside the server; this starts it with the window and, at the window's end, reads
// the profile it wrote. Allocation is what the young generation's collections pay for, on the gateway thread and
// on V8's helper threads, so it is one of the costs behind CPU per command and resident size (docs/BENCHMARKS.md).

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WindowMeter } from './closed-loop.js';
import { allocatedBytes, type HeapProfile } from './profile-top.js';

/** What the meter signals: the server's process (bench/served-server.ts). */
export interface Sampled {
  readonly pid: number | undefined;
}

/** `allocMBPerSec` of the window, from the profile the server writes into `dir`. */
export function allocMeter(server: Sampled, dir: string): WindowMeter {
  const signal = () => {
    if (server.pid !== undefined) process.kill(server.pid, 'SIGUSR2');
  };
  let before = new Set<string>();
  return {
    async start() {
      before = new Set(await readdir(dir));
      signal();
    },
    async stop() {
      signal();
      const file = await written(dir, before, server.pid);
      const p = JSON.parse(await readFile(file, 'utf8')) as HeapProfile;
      const bytes = allocatedBytes(p).reduce((a, r) => a + r.bytes, 0);
      return { allocMBPerSec: bytes / 1e6 / (p.seconds ?? 1) };
    },
  };
}

/** The profile the server wrote for this window: a new `alloc-<pid>-*` file, waited for (10 s at most). */
async function written(dir: string, before: Set<string>, pid: number | undefined): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const made = (await readdir(dir)).find((f) => !before.has(f) && f.startsWith(`alloc-${pid}-`) && f.endsWith('.heapprofile'));
    if (made) return join(dir, made);
    if (Date.now() > deadline) throw new Error(`mud serve (pid ${pid}) wrote no allocation profile into ${dir}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
