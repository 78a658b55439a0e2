// upgrade-party (issue 26): `mud upgrade` under the party. The shipped party
// (guests in the default world's mystical_plaza emoting open loop, `mud serve`
// with the file store) runs a steady window, then a window in which the admin API
// asks for the upgrade. Each emote carries a stamp, and every guest records whom it
// heard (party-bots.ts): an emote answered to its sender and never heard by
// another guest is lost, one heard twice is duplicated. The upgrade window's delivery
// p99 and max against the steady window's, the input pause, the sockets dropped.

import { adminCall } from './mud-process.js';
import { openParty, deliveryMetrics } from './party.js';
import { stopSuccessor, type UpgradeAnswer } from './upgrade-load.js';
import { sleep, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

export const upgradeParty: Scenario = {
  name: 'upgrade-party',
  modes: ['in-process', 'actor', 'function'],
  smokeModes: ['actor'],
  about: 'shipped: the party in the plaza (guests emoting open loop) while `mud upgrade` hands every socket over: every answered emote heard once by every other guest',
  async run(mode: BenchMode, opts: BenchOptions) {
    const p = await openParty(mode, opts, 'upgrade-party', true);
    const served = p.served!;
    let successor: number | undefined;
    try {
      p.bots.start(p.rate);
      await sleep(opts.smoke ? 300 : 1000); // warm-up
      p.bots.beginWindow();
      await sleep(opts.duration * 1000);
      const steadySeconds = p.bots.endWindow();
      const steady = deliveryMetrics(p.bots.figures(p.sharded), steadySeconds);

      opts.progress(`upgrade-party ${mode}: mud upgrade`);
      p.bots.beginWindow();
      const asked = performance.now();
      const answer = await adminCall<UpgradeAnswer>(served.adminPort, 'POST', '/admin/upgrade');
      const upgradeMs = performance.now() - asked;
      successor = answer.pid;
      if (!answer.ok) throw new Error(`the upgrade failed: ${answer.error ?? 'no answer'}`);
      await sleep(opts.duration * 1000);
      const seconds = p.bots.endWindow();
      // Every emote sent is answered (or given up on) before the deliveries are counted.
      await p.bots.stop(15_000);
      const upgraded = deliveryMetrics(p.bots.figures(p.sharded), seconds);
      const dropped = p.clients.filter((c) => c.isClosed).length;
      const metrics: Record<string, number> = { arrivalSec: p.arrivalSec, upgradeMs, pausedMs: answer.pausedMs ?? 0, sessions: answer.sessions ?? 0, dropped };
      for (const k of ['emotesPerSec', 'p50DeliveryMs', 'p99DeliveryMs', 'maxDeliveryMs'] as const) {
        metrics[`steady.${k}`] = steady[k];
        metrics[`upgrade.${k}`] = upgraded[k];
      }
      // Counted over the whole run: every emote any guest was answered for, against what the others heard.
      Object.assign(metrics, { lost: upgraded.lost, duplicated: upgraded.duplicated, refused: upgraded.refused, unanswered: upgraded.unanswered });
      metrics['upgrade.maxVsSteadyP99'] = upgraded.maxDeliveryMs / Math.max(steady.p99DeliveryMs, 1e-3);
      return {
        metrics,
        targets: [
          { metric: 'lost', op: '==', value: 0, label: 'every answered emote heard by every other guest across the hand-over' },
          { metric: 'duplicated', op: '==', value: 0, label: 'no emote heard twice' },
          { metric: 'dropped', op: '==', value: 0, label: 'no socket dropped' },
          { metric: 'sessions', op: '==', value: p.guests, label: 'every session handed over' },
        ],
        setup: { ...p.setup, server: 'mud serve (own process), then its successor' },
      };
    } finally {
      await p.close();
      await stopSuccessor(successor);
    }
  },
};
