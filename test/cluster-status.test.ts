// The cluster's status from gateways' reports: whichever gateway is asked, the
// figures add up the same way.
import { describe, expect, it } from 'vitest';
import { mergeGatewayReports } from '../ops/cluster-status.js';
import type { GatewayReport } from '../ops/status.js';

function report(id: string, over: { sockets?: number; hot?: GatewayReport['hot']; lag?: number; pending?: number; writes?: number } = {}): GatewayReport {
  return {
    gateway: { id, host: 'vm', sockets: over.sockets ?? 0, commandsPerSec: 0, linesPerSec: 0, elu: 0.1, p50Ms: 0, p99Ms: 0, epoch: 3 },
    store: { kind: 'nats-kv', opsPerSec: (over.writes ?? 0) * 2, readsPerSec: over.writes ?? 0, writesPerSec: over.writes ?? 0, conflictsPerSec: 1, commitsPerSec: 0 },
    hot: over.hot ?? [],
    timers: { pending: over.pending ?? 0, firedPerSec: 1, lagP50Ms: over.lag ?? 0, lagP99Ms: over.lag ?? 0, lagMaxMs: over.lag ?? 0 },
  };
}

describe('cluster status', () => {
  it('cluster status - players, store traffic and pending timers add up; the worst timer lag is kept; this gateway first, the others by id', () => {
    const c = mergeGatewayReports(report('gw-b', { sockets: 10, writes: 5, pending: 2, lag: 3 }), [report('gw-c', { sockets: 1, writes: 1, pending: 1, lag: 40 }), report('gw-a', { sockets: 4 })], () => ({ mode: 'actor', home: 'n1' }));
    expect(c.players).toBe(15);
    expect(c.gateways.map((g) => g.id)).toEqual(['gw-b', 'gw-a', 'gw-c']);
    expect(c.store).toMatchObject({ writesPerSec: 6, opsPerSec: 12, conflictsPerSec: 3 });
    expect(c.timers).toMatchObject({ pending: 3, firedPerSec: 3, lagP99Ms: 40, lagMaxMs: 40 });
  });

  it('cluster status - one object hot through several gateways is one row with the turns of all, placed by this gateway', () => {
    const plaza = (turns: number, mailbox: number) => ({ ref: 'room/mystical_plaza', turnsPerSec: turns, mode: 'function', home: 'no home', conflictsPerSec: 2, mailbox });
    const c = mergeGatewayReports(
      report('gw-a', { hot: [plaza(300, 5), { ref: 'player/ann', turnsPerSec: 400, mode: 'function', home: 'no home', conflictsPerSec: 0, mailbox: 0 }] }),
      [report('gw-b', { hot: [plaza(250, 7)] })],
      (ref) => ({ mode: 'actor', home: ref === 'room/mystical_plaza' ? 'node-2' : 'node-1' }),
    );
    expect(c.hot[0]).toEqual({ ref: 'room/mystical_plaza', turnsPerSec: 550, mode: 'actor', home: 'node-2', conflictsPerSec: 4, mailbox: 12 });
    expect(c.hot[1].ref).toBe('player/ann');
  });
});
