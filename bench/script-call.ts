// script: the per-call cost of the shipped plaza's hooks (exit and enter, a
// 200-entry `greeted` memory), called by runTurn as each mode calls them: on this
// thread (in-process), on a node's thread (actor), and on two nodes' stateless
// turns over one store (function). Figures: p10, p50 and p99 of the hook call (µs):
// on a shared machine the p10 is the cost of a call that ran undisturbed.

import { Worker } from 'node:worker_threads';
import { plazaHookLoop, CROWD, type HookTimes, type LoopMode } from './plaza-hook-loop.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

export const scriptCall: Scenario = {
  name: 'script',
  modes: ['in-process', 'actor', 'function'],
  smokeModes: ['in-process', 'actor'],
  about: "µs per call of the plaza's exit and enter hooks (200 greeted), called by runTurn as the mode calls them",
  async run(mode: BenchMode, opts: BenchOptions) {
    const ms = opts.duration * 1000;
    const warmupMs = opts.smoke ? 200 : 1000;
    opts.progress(`script: the plaza's hooks in ${mode} for ${opts.duration} s`);
    const times = mode === 'in-process' ? await plazaHookLoop('in-process', ms, warmupMs) : await onNodeThread(mode as LoopMode, ms, warmupMs);
    const sorted = Float64Array.from(times.micros).sort();
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
    return {
      metrics: { p10Us: at(0.1), p50Us: at(0.5), p99Us: at(0.99), maxUs: at(1), calls: sorted.length, failures: times.failures, greeted: times.greeted },
      targets: [
        { metric: 'p50Us', op: '<=', value: 30, label: 'plaza hook p50 <= 30 µs' },
        { metric: 'p99Us', op: '<=', value: 200, label: 'plaza hook p99 <= 200 µs' },
        { metric: 'failures', op: '==', value: 0, label: 'no failed calls' },
      ],
      setup: { hooks: 'mystical_plaza.js exit, enter', crowd: CROWD, thread: mode === 'in-process' ? 'this one' : "a node's (worker)", load: loadAverage() },
    };
  },
};

function onNodeThread(mode: LoopMode, ms: number, warmupMs: number): Promise<HookTimes> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./plaza-hook-worker.js', import.meta.url), { workerData: { mode, ms, warmupMs } });
    worker.once('message', (times: HookTimes) => {
      resolve(times);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
