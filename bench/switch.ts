// switch: during the party, switch dispatch modes live 10 times through the
// admin API, back and forth between the cell's mode and the other two. The
// pause each switch imposes (as the server reports it), and whether any emote
// was lost or delivered twice across all of them.

import { Histogram } from '../support/histogram.js';
import { deliveryMetrics, openParty } from './party.js';
import { LoopMeter } from './bots.js';
import { sleep, type BenchMode, type BenchOptions, type Scenario, type Target } from './scenario.js';

const SWITCHES = 10;
const TARGET_P50_MS = 50;
const TARGET_MAX_MS = 200;

/** The cell's own mode, and the two it alternates with. */
function plan(mode: BenchMode): string[] {
  const home = mode === 'actor-sharded' ? 'actor' : mode;
  const others = ['in-process', 'actor', 'function'].filter((m) => m !== home);
  return Array.from({ length: SWITCHES }, (_, i) => (i % 2 === 0 ? others[(i / 2) % 2] : home));
}

export const switching: Scenario = {
  name: 'switch',
  modes: ['in-process', 'actor', 'function', 'actor-sharded'],
  smokeModes: ['actor-sharded', 'function'],
  about: 'live mode switches during the party: pause per switch, emotes lost or run twice',
  async run(mode: BenchMode, opts: BenchOptions) {
    const p = await openParty(mode, opts, 'switch');
    const pauses = new Histogram();
    try {
      p.bots.start(p.rate);
      await sleep(opts.smoke ? 300 : 1000);
      const loop = new LoopMeter();
      p.bots.beginWindow();
      const gap = Math.max(100, (opts.duration * 1000) / SWITCHES);
      let held = 0;
      const byTarget: Record<string, number> = {};
      // Under overload a switch waits for a backlog to drain: bound the phase, and report how many ran.
      const deadline = performance.now() + Math.max(opts.duration * 5, 20) * 1000;
      for (const to of plan(mode)) {
        if (performance.now() > deadline) break;
        await sleep(gap);
        const r = await p.server.dispatch(to);
        pauses.recordMs(r.pausedMs);
        // The worst pause by the mode switched to: which switches are slow says why.
        byTarget[`pauseMaxMs.to-${to}`] = Math.max(byTarget[`pauseMaxMs.to-${to}`] ?? 0, r.pausedMs);
        held += r.held;
      }
      await sleep(Math.min(gap, 1000)); // let the last switch's held turns run inside the window
      const seconds = p.bots.endWindow();
      const botElu = loop.utilisation();
      await p.bots.stop(8000);
      const metrics = {
        switches: pauses.total, pauseP50Ms: pauses.quantile(0.5) / 1000, pauseMaxMs: pauses.max / 1000, heldPerSwitch: held / Math.max(1, pauses.total),
        ...byTarget, ...deliveryMetrics(p.bots.figures(p.sharded), seconds), botElu,
      };
      const targets: Target[] = [
        { metric: 'switches', op: '==', value: SWITCHES, label: `${SWITCHES} switches within the time bound` },
        { metric: 'pauseP50Ms', op: '<=', value: TARGET_P50_MS, label: `pause p50 <= ${TARGET_P50_MS} ms` },
        { metric: 'pauseMaxMs', op: '<=', value: TARGET_MAX_MS, label: `pause max <= ${TARGET_MAX_MS} ms` },
        { metric: 'lost', op: '==', value: 0, label: '0 lost' },
        { metric: 'duplicated', op: '==', value: 0, label: '0 run twice' },
      ];
      return { metrics, targets, setup: { ...p.setup, switches: plan(mode).join('>') } };
    } finally {
      await p.close();
    }
  },
};
