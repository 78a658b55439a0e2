// Loaded into a benchmarked `mud serve` (node --import) when `npm run bench -- --alloc-profile <dir>` asks: V8's
// sampling heap profiler on the gateway's thread, the objects the collector has freed since included, so the
// profile is what the thread *allocated* (the cost the young generation's collections pay), not what it holds.
// SIGUSR2 starts it, at the start of a cell's window; the next SIGUSR2 writes what it saw into the directory as
// `alloc-<pid>-<n>.heapprofile` (with the seconds it covered) and stops it. profile-top.js reads the file.

import { Session } from 'node:inspector';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** The environment variable that names the directory; the bench sets it with the --import. */
export const ALLOC_DIR_ENV = 'MUD_BENCH_ALLOC_DIR';
/** Bytes between samples, on average (V8's default is 32 KiB): finer, for a window of a few seconds. */
const SAMPLING_INTERVAL = 8192;

const dir = process.env[ALLOC_DIR_ENV];
if (dir && isMainThread) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  let startedAt: number | undefined;
  let n = 0;
  process.on('SIGUSR2', () => {
    if (startedAt === undefined) {
      startedAt = performance.now();
      session.post('HeapProfiler.startSampling', {
        samplingInterval: SAMPLING_INTERVAL, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
      } as object);
      return;
    }
    const seconds = (performance.now() - startedAt) / 1000;
    startedAt = undefined;
    session.post('HeapProfiler.stopSampling', (err, got) => {
      if (err) return void process.stderr.write(`alloc-sampler: ${err.message}\n`);
      n += 1;
      // Whole or not at all: the bench reads it as soon as the name appears.
      const file = join(dir, `alloc-${process.pid}-${n}.heapprofile`);
      writeFileSync(`${file}.part`, JSON.stringify({ ...got.profile, seconds }));
      renameSync(`${file}.part`, file);
    });
  });
}
