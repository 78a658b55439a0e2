// durable: turns/s that change state (so every turn writes) through each
// dispatcher, first over the in-memory store, then over the durable FileStore
// (journal append + fdatasync per group commit). The ratio is the price of
// durability; writes per commit shows how well group commit batches.

import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Msg, Ref } from '../world/core/types.js';
import { MemoryStore } from '../store/memory-store.js';
import { FileStore } from '../store/file-store.js';
import type { StateStore, StoreStats } from '../store/state-store.js';
import { drive, openRig, type DriverMode } from './turn-driver.js';
import { loadBenchWorld, RESULTS_DIR } from './bench-world.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

const TARGET = 50_000;

/** A player told it moved, alternately between two rooms: a tiny turn that always changes state. */
let counter = 0;
const moved = (_ref: Ref, n: number): Msg => ({ id: `durable-${(counter++).toString(36)}`, type: 'moved', room: n % 2 ? 'room/g0_0' : 'room/g1_0' });

const emptyStats = (): StoreStats => ({ reads: 0, writes: 0, casConflicts: 0, commits: 0 });

export const durable: Scenario = {
  name: 'durable',
  modes: ['in-process', 'actor', 'function'],
  smokeModes: ['function'],
  about: 'turns/s that write, memory store vs. durable FileStore with group commit',
  async run(mode: BenchMode, opts: BenchOptions) {
    const m = mode as DriverMode;
    const world = await loadBenchWorld('grid', opts.smoke);
    const objects = opts.size ?? (opts.smoke ? 64 : m === 'in-process' ? 1024 : 4096);
    const refs = Array.from({ length: objects }, (_, i) => `player/durable${i}`);
    const nodes = opts.nodes ?? 2;
    const seconds = opts.duration / 2;
    const measure = async (store: StateStore) => {
      const rig = await openRig(m, store, world, nodes);
      const window = { begin: () => (before = store.stats()), end: () => (after = store.stats()) };
      try {
        return await drive((ref, msg) => rig.dispatcher.run(ref, msg), refs, moved, { inFlight: objects, seconds, warmup: opts.smoke ? 0.1 : 0.5, window });
      } finally {
        await rig.close();
      }
    };
    let before = emptyStats();
    let after = emptyStats();
    opts.progress(`durable ${mode}: ${objects} objects writing, memory store then FileStore, ${seconds} s each`);
    const memory = await measure(new MemoryStore());
    // On the project's own disk, not a tmpfs: an fdatasync must reach the device to mean anything.
    const dir = await mkdtemp(join(RESULTS_DIR, 'durable-'));
    try {
      const store = await FileStore.open(dir);
      const disk = await measure(store);
      await store.close();
      const commits = after.commits - before.commits;
      const metrics = {
        memoryTurnsPerSec: memory.turnsPerSec,
        durableTurnsPerSec: disk.turnsPerSec,
        durableRatio: disk.turnsPerSec / memory.turnsPerSec,
        commitsPerSec: commits / disk.seconds,
        writesPerCommit: commits ? (after.writes - before.writes) / commits : 0,
        errors: memory.errors + disk.errors,
      };
      return {
        metrics,
        targets: [
          { metric: 'durableTurnsPerSec', op: '>=' as const, value: TARGET, label: `>= ${TARGET.toLocaleString('en')} durable turns/s` },
          { metric: 'errors', op: '==' as const, value: 0, label: 'no failed turns' },
        ],
        setup: { objects, inFlight: objects, nodes: m === 'in-process' ? 0 : nodes, turn: 'player moved (writes)', sync: 'fdatasync', load: loadAverage() },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
