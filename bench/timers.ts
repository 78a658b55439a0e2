// timers: what pending timers cost the gateway's timer queue (heap bytes per
// timer at 100,000 pending, measured after a full GC) and how late they fire
// when 100,000 come due within one second (fire time - due time, p50/p99/max).
// The queue alone, on this thread: the turns the fires start are measured by
// the other scenarios.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TimerQueue } from '../dispatch/timer-queue.js';
import { loadAverage, type BenchOptions, type Scenario } from './scenario.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export const timers: Scenario = {
  name: 'timers',
  modes: ['in-process'],
  about: 'the gateway timer queue: heap bytes per pending timer at 100,000 pending, fire lag with 100,000 due in one second',
  async run(_mode, opts: BenchOptions) {
    const n = opts.size ?? (opts.smoke ? 10_000 : 100_000);
    opts.progress(`timers: ${n} pending`);
    const base = heapUsed();
    let fired = 0;
    let done: () => void = () => undefined;
    const all = new Promise<void>((r) => (done = r));
    const queue = new TimerQueue(() => {
      fired += 1;
      if (fired === n) done();
    });
    const start = Date.now() + 2000;
    // Refs and ids as the world makes them: distinct strings per timer.
    for (let i = 0; i < n; i++) queue.add(`item/thing.${i}`, `t${(i * 2654435761 >>> 0).toString(36)}k1`, start + Math.floor((i * 1000) / n));
    const bytesPerTimer = (heapUsed() - base) / n;
    queue.takeWindow();
    const keepAlive = setInterval(() => undefined, 1000); // the queue's own timer does not hold the process open
    await all;
    clearInterval(keepAlive);
    const lag = queue.takeWindow();
    return {
      metrics: { pending: n, bytesPerTimer, mbPer100k: (bytesPerTimer * 100_000) / 2 ** 20, lagP50Ms: lag.lagP50Ms, lagP99Ms: lag.lagP99Ms, lagMaxMs: lag.lagMaxMs },
      targets: [{ metric: 'lagP99Ms', op: '<=', value: 100, label: 'fires within 100 ms of due' }],
      setup: { timers: n, dueWithin: '1 s', load: loadAverage() },
    };
  },
};
