// A gateway's death and the timers it leaves: the survivor fires the timers of
// the objects the dead one owned, and also its own objects' timers that the dead
// one had set (a turn it dispatched) but not yet handed over. Found by killing a
// gateway mid-trade (test/trade-gateways.test.ts): the preparer's retry timer was
// in its record and in no gateway's queue, so the trade stayed locked.
import { describe, expect, it } from 'vitest';
import { ClusterTimers } from '../cluster/cluster-timers.js';
import type { GatewayEvent, Gateways } from '../cluster/gateways.js';
import type { GatewayRequests } from '../cluster/gateway-bus.js';
import { TimerQueue } from '../dispatch/timer-queue.js';
import { MemoryStore } from '../store/memory-store.js';
import { silentLogger } from '../support/logger.js';
import { waitUntil } from './helpers/nats-server.js';

/** Gateway `self` beside `dead`, which has just died: `owners` says who owned each object while both lived. */
function survivor(self: string, owners: Record<string, string>) {
  const listeners: Array<(e: GatewayEvent) => void> = [];
  let live = new Set([self, ...Object.values(owners)]);
  const gateways = {
    id: self,
    owner: (ref: string) => (live.has(owners[ref]) ? owners[ref] : self),
    onChange: (l: (e: GatewayEvent) => void) => {
      listeners.push(l);
      return () => undefined;
    },
  } as unknown as Gateways;
  const mail = { hear: () => () => undefined, tell: () => undefined } as unknown as GatewayRequests;
  const fired: string[] = [];
  const queue = new TimerQueue((ref, id) => fired.push(`${ref} ${id}`));
  const store = new MemoryStore();
  const timers = new ClusterTimers({ mail, gateways, store, queue, log: silentLogger() });
  timers.start();
  const die = (gw: string) => {
    live = new Set([...live].filter((g) => g !== gw));
    for (const l of listeners) l({ type: 'left', gateway: gw, reason: 'timed out' });
  };
  return { store, queue, fired, die, close: () => (timers.close(), queue.stop()) };
}

describe('cluster timers', () => {
  it('takeover - the survivor fires the dead gateway\'s timers and its own that the dead one never handed over', async () => {
    const gw = survivor('gw-a', { 'player/lena': 'gw-b', 'player/kurt': 'gw-a' });
    try {
      const due = Date.now() + 20;
      // Lena's timer was gw-b's to fire; Kurt's was set by a turn gw-b dispatched, still in gw-b's outbox for gw-a.
      await gw.store.put('player/lena', { state: {}, timers: [['t-lena', due, { type: 'tick' }]] });
      await gw.store.put('player/kurt', { state: {}, timers: [['t-kurt', due, { type: 'tradeRetry' }]] });
      expect(gw.queue.size).toBe(0);
      gw.die('gw-b');
      const both = ['player/kurt t-kurt', 'player/lena t-lena'];
      await waitUntil(() => both.every((t) => gw.fired.includes(t)), 5_000, () => `fired only ${JSON.stringify(gw.fired)}`);
    } finally {
      gw.close();
    }
  });
});
