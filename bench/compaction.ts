// compaction: how long the file store's compaction holds the thread that serves every player. A FileStore of
// `--size` records shaped like the world's (a room's state and its dedupe window, about 250 bytes of JSON),
// then one compaction, while a 1 ms interval timer notes the longest gap between its ticks. The store alone,
// on this thread: it is the gateway's thread in `mud serve` with the file store.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../store/file-store.js';
import type { Json } from '../world/core/types.js';
import { loadAverage, type BenchOptions, type Scenario } from './scenario.js';

export const compaction: Scenario = {
  name: 'compaction',
  modes: ['in-process'],
  about: 'the file store compacting a world of 100,000 records: how long it takes, and the longest the event loop waited meanwhile',
  async run(_mode, opts: BenchOptions) {
    const n = opts.size ?? (opts.smoke ? 10_000 : 100_000);
    const dir = await mkdtemp(join(tmpdir(), 'lattice-compaction-'));
    try {
      // No fsync: the figure is the thread's, not the disk's.
      const store = await FileStore.open(dir, { syncMode: 'none', compactEveryBytes: Number.MAX_SAFE_INTEGER });
      opts.progress(`compaction: writing ${n} records`);
      for (let i = 0; i < n; i += 1000) {
        await Promise.all(Array.from({ length: Math.min(1000, n - i) }, (_, k) => store.put(`room/r${i + k}`, record(i + k))));
      }
      let last = performance.now();
      let longest = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 1);
      await new Promise((r) => setTimeout(r, 50));
      longest = 0;
      last = performance.now();
      const started = performance.now();
      await store.compact();
      const compactionMs = performance.now() - started;
      clearInterval(ticker);
      const snapshotMB = (await stat(join(dir, 'state.json'))).size / 2 ** 20;
      await store.close();
      return {
        metrics: { records: n, compactionMs, stallMs: longest, snapshotMB },
        targets: [{ metric: 'stallMs', op: '<=', value: 50, label: 'play goes on while the world is compacted (longest event-loop wait)' }],
        setup: { records: n, sync: 'none', load: loadAverage() },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** A room's record as the store holds it: state with occupants and contents, and a short dedupe window. */
function record(i: number): Json {
  return {
    state: { contents: [`item/lantern.${i}`, `item/coin.${i}`], occupants: [], doors: { north: 'closed' }, vars: { visitors: i % 97 } },
    recent: [[`k2f9a1-${i.toString(36)}.1`, [{ t: 'send', to: `player/p${i % 50}`, msg: { id: `k2f9a1-${i.toString(36)}.1.1`, type: 'moved', room: `room/r${i}` } }], 1733450000000 + i]],
  };
}
