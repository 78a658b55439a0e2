// respawn: what item respawn costs a room's turns (world/core/item-respawn.ts), on
// this thread, in the default world's Lantern Market: a take and a drop of the
// lantern with its respawn on (a timer set, then cancelled) and off, an emote
// (contents untouched: it should cost the same either way), and the fire that
// makes a copy. On and off alternate round by round, so a busy neighbour skews
// both alike; the ratios are the figures to read.

import type { Msg, Ref } from '../world/core/types.js';
import { runTurn, type ObjectRecord } from '../world/core/turn.js';
import { loadBenchWorld } from './bench-world.js';
import { loadAverage, type BenchOptions, type Scenario } from './scenario.js';

const ROOM: Ref = 'room/lantern_market';
const LANTERN: Ref = 'item/lantern';
const CONFIG = { shardCapacity: 0 };

export const respawn: Scenario = {
  name: 'respawn',
  modes: ['in-process'],
  about: 'item respawn bookkeeping in a room turn: take+drop with respawn on vs off, an emote on vs off, the fire that makes a copy',
  async run(_mode, opts: BenchOptions) {
    const world = await loadBenchWorld('default');
    const def = world.definition.items[LANTERN];
    // The loaded world's props are shared and frozen (world/files/compact-definition.ts): switch between two copies.
    const withRespawn = def.props;
    const { respawn: _off, ...withoutRespawn } = def.props;
    const respawnOn = (on: boolean) => { def.props = on ? withRespawn : withoutRespawn; };
    let n = 0;
    const id = () => `bench-${(n++).toString(36)}`;
    const take = (): Msg => ({ id: id(), type: 'take', player: 'player/bench', target: { words: ['lantern'], n: 1 } });
    const drop = (): Msg => ({ id: id(), type: 'drop', player: 'player/bench', item: LANTERN, quiet: true });
    const emote = (): Msg => ({ id: id(), type: 'emote', player: 'player/bench', text: 'yawns' });
    /** Microseconds per call of `turns` (its turns run on one record), over `ms`. */
    const measure = (turns: (record: ObjectRecord | undefined) => ObjectRecord | undefined, ms: number): number => {
      let record: ObjectRecord | undefined;
      let calls = 0;
      const start = performance.now();
      while (performance.now() - start < ms) {
        for (let i = 0; i < 100; i++) record = turns(record);
        calls += 100;
      }
      return ((performance.now() - start) * 1000) / calls;
    };
    const takeDrop = (r: ObjectRecord | undefined) => runTurn(world, CONFIG, ROOM, runTurn(world, CONFIG, ROOM, r, take(), n).record, drop(), n).record;
    const emoting = (r: ObjectRecord | undefined) => runTurn(world, CONFIG, ROOM, r, emote(), n).record;
    const rounds = opts.smoke ? 2 : 8;
    const ms = opts.smoke ? 50 : (opts.duration * 1000) / (rounds * 4);
    const samples = { takeDropOn: [] as number[], takeDropOff: [] as number[], emoteOn: [] as number[], emoteOff: [] as number[] };
    opts.progress(`respawn: ${rounds} rounds of ${Math.round(ms)} ms per case`);
    try {
      // A round of each case first, unrecorded: the first measured case would otherwise pay for the JIT.
      for (const on of [true, false]) {
        respawnOn(on);
        measure(takeDrop, ms);
        measure(emoting, ms);
      }
      for (let i = 0; i < rounds; i++) {
        respawnOn(true);
        samples.takeDropOn.push(measure(takeDrop, ms));
        samples.emoteOn.push(measure(emoting, ms));
        respawnOn(false);
        samples.takeDropOff.push(measure(takeDrop, ms));
        samples.emoteOff.push(measure(emoting, ms));
      }
    } finally {
      respawnOn(true);
    }
    const fireUs = measureFire(world, take());
    const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
    const metrics = {
      takeDropOnUs: med(samples.takeDropOn),
      takeDropOffUs: med(samples.takeDropOff),
      takeDropRatio: med(samples.takeDropOn) / med(samples.takeDropOff),
      emoteOnUs: med(samples.emoteOn),
      emoteOffUs: med(samples.emoteOff),
      emoteRatio: med(samples.emoteOn) / med(samples.emoteOff),
      fireUs,
    };
    return {
      metrics,
      targets: [{ metric: 'emoteRatio', op: '<=', value: 1.2, label: 'turns that leave contents alone cost the same (within noise)' }],
      setup: { room: ROOM, item: LANTERN, rounds, load: loadAverage() },
    };
  },
};

/** Microseconds per respawn fire that makes a copy (the lantern taken, its timer due). */
function measureFire(world: Awaited<ReturnType<typeof loadBenchWorld>>, take: Msg): number {
  const taken = runTurn(world, CONFIG, ROOM, undefined, take, 0).record!;
  const [timer, due] = taken.timers![0];
  const fire = { id: timer, type: 'timer' };
  const runs = 2_000;
  const start = performance.now();
  for (let i = 0; i < runs; i++) runTurn(world, CONFIG, ROOM, taken, fire, due);
  return ((performance.now() - start) * 1000) / runs;
}
