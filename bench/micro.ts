// micro: turns/s through each dispatcher for a trivial turn (an item examined:
// no state change, one line back), no sockets, an in-memory store; beside it the
// ceiling, the same turn function called directly in a loop on this thread.

import type { Msg, Ref } from '../world/core/types.js';
import { runTurn, type ObjectRecord } from '../world/core/turn.js';
import { MemoryStore } from '../store/memory-store.js';
import { drive, driveDirect, openRig, type DriverMode } from './turn-driver.js';
import { loadBenchWorld } from './bench-world.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario, Target } from './scenario.js';

const TARGETS: Record<DriverMode, number> = { 'in-process': 2_000_000, actor: 250_000, function: 100_000 };

/** Message ids as the engine makes them: a boot prefix and a counter. */
let counter = 0;
const examine = (_ref: Ref, _n: number): Msg => ({ id: `bench-${(counter++).toString(36)}`, type: 'examine', player: 'player/bench' });

export const micro: Scenario = {
  name: 'micro',
  modes: ['in-process', 'actor', 'function'],
  about: 'turns/s for a trivial turn through the dispatcher (no sockets, memory store) vs. the same turn called directly',
  async run(mode: BenchMode, opts: BenchOptions) {
    const m = mode as DriverMode;
    const world = await loadBenchWorld('grid', opts.smoke);
    const refs = [...world.refs('item')];
    const nodes = opts.nodes ?? 2;
    const inFlight = opts.size ?? (opts.smoke ? 64 : m === 'in-process' ? 256 : 4096);
    const seconds = opts.duration;

    const ceilingSeconds = Math.min(1, seconds / 4);
    const before = measureCeiling(world, refs, ceilingSeconds);
    const rig = await openRig(m, new MemoryStore(), world, nodes);
    try {
      opts.progress(`micro ${mode}: ${inFlight} turns in flight over ${refs.length} objects for ${seconds} s`);
      const r = await drive((ref, msg) => rig.dispatcher.run(ref, msg), refs, examine, { inFlight, seconds, warmup: opts.smoke ? 0.2 : 1 });
      // Measured before and after (the better of the two): a short loop is at the mercy of the JIT and the neighbours.
      const ceiling = Math.max(before, measureCeiling(world, refs, ceilingSeconds));
      const metrics = {
        turnsPerSec: r.turnsPerSec,
        ceilingTurnsPerSec: ceiling,
        ratioToCeiling: r.turnsPerSec / ceiling,
        microsPerTurn: 1e6 / r.turnsPerSec,
        errors: r.errors,
      };
      const targets: Target[] = [
        { metric: 'turnsPerSec', op: '>=', value: TARGETS[m], label: `>= ${TARGETS[m].toLocaleString('en')} turns/s` },
        { metric: 'errors', op: '==', value: 0, label: 'no failed turns' },
      ];
      return { metrics, targets, setup: { objects: refs.length, inFlight, nodes: m === 'in-process' ? 0 : nodes, store: 'memory', turn: 'item examine', load: loadAverage() } };
    } finally {
      await rig.close();
    }
  },
};

/** The same turn as the dispatchers run, on warm records, in a plain loop. */
function measureCeiling(world: Awaited<ReturnType<typeof loadBenchWorld>>, refs: readonly Ref[], seconds: number): number {
  const config = { shardCapacity: 0 };
  const records = new Map<Ref, ObjectRecord | undefined>();
  for (const ref of refs) records.set(ref, runTurn(world, config, ref, undefined, examine(ref, 0), Date.now()).record);
  let sink = 0;
  const r = driveDirect((ref, n) => {
    sink += runTurn(world, config, ref, records.get(ref), examine(ref, n), Date.now()).effects.length;
  }, refs, seconds);
  if (sink < 0) throw new Error('unreachable: keeps the loop from being optimised away');
  return r.turnsPerSec;
}
