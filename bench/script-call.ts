// script: the per-call cost of a builder script hook in the script runtime
// (QuickJS in WebAssembly): the shipped plaza's `emote` hook, called directly
// in a loop on this thread, as a turn calls it. No dispatcher, no sockets.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileScript } from '../world/script-sandbox.js';
import type { ScriptInput } from '../world/types.js';
import { DEFAULT_WORLD } from '../bin/paths.js';
import { loadAverage, type BenchOptions, type Scenario } from './scenario.js';

const PLAZA = join(DEFAULT_WORLD, 'scripts', 'mystical_plaza.js');

export const scriptCall: Scenario = {
  name: 'script',
  modes: ['in-process'],
  about: "µs per call of the plaza's emote hook in the script runtime (QuickJS/WebAssembly), on this thread",
  async run(_mode, opts: BenchOptions) {
    const compiled = compileScript({ file: PLAZA, line: 1, code: await readFile(PLAZA, 'utf8') });
    if (!compiled.ok) throw new Error(`the plaza script does not compile: ${compiled.error.message}`);
    const emote = compiled.hooks.get('emote');
    if (!emote) throw new Error('the plaza script has no emote hook');
    const occupants = Array.from({ length: 50 }, (_, i) => ({ ref: `player/guest${i}`, name: `Guest${i}` }));
    const input = (n: number): ScriptInput => ({
      state: { visitors: 100, mood: 'playful', pigeonFlights: n },
      msg: { id: `bench-${n.toString(36)}.1`, type: 'emote', actor: 'player/guest1', player: 'player/guest1', name: 'Guest1', text: 'waves.' },
      self: 'room/mystical_plaza',
      here: { name: 'The Mystical Plaza', occupantCount: 100, occupants, contents: [] },
      now: 1_700_000_000_000,
      seed: n,
      timerBase: `tbench${n}`,
    });
    opts.progress(`script: the plaza's emote hook for ${opts.duration} s`);
    let calls = 0;
    let failures = 0;
    const warmupEnd = performance.now() + (opts.smoke ? 100 : 500);
    while (performance.now() < warmupEnd) emote(input(calls++));
    calls = 0;
    const started = performance.now();
    const end = started + opts.duration * 1000;
    while (performance.now() < end) {
      for (let i = 0; i < 100; i++) if (!emote(input(calls++)).ok) failures += 1;
    }
    const micros = ((performance.now() - started) * 1000) / calls;
    return {
      metrics: { microsPerCall: micros, callsPerSec: 1e6 / micros, failures },
      targets: [{ metric: 'failures', op: '==', value: 0, label: 'no failed calls' }],
      setup: { hook: 'mystical_plaza.js emote', occupants: 100, runtime: 'quickjs-emscripten release-sync', load: loadAverage() },
    };
  },
};
