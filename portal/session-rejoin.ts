import type { Ref } from '../world/core/types.js';
import type { Logger } from '../support/logger.js';
import type { ClusterSessions } from './cluster-sessions.js';

/** What the rejoin needs of the gateways: word that this one hears again after being cut off. */
export interface Rejoining {
  onRejoin(listener: (silentMs: number) => void): () => void;
}

/** A gateway cut off from NATS (its link down, its players still connected to it) is counted gone by
 *  the others after the heartbeat timeout, and the one that owns it takes its players out of the
 *  world (bin/ghost-reaper.ts). When it hears again its players play on here: every session is checked
 *  against its key (`ClusterSessions.reclaim`), at once and once more `secondLookMs` later (the
 *  heartbeat timeout), for a reap that began just before the others heard it again. Returns a stop. */
export function rejoinSessions(gateways: Rejoining, sessions: ClusterSessions, enter: (player: Ref) => Promise<unknown>, log: Logger, secondLookMs: number): () => void {
  const later = new Set<NodeJS.Timeout>();
  const check = (silentMs: number, pass: number) => {
    const started = performance.now();
    sessions.reclaim(enter).then(
      (c) => {
        if (c.entered || c.closed || c.failed || pass === 1) log.info('sessions rechecked', { silentMs, pass, ...c, ms: Math.round(performance.now() - started) });
      },
      (err: unknown) => log.error('sessions recheck failed', { silentMs, pass, why: err instanceof Error ? err.message : String(err) }),
    );
  };
  const stop = gateways.onRejoin((silentMs) => {
    check(silentMs, 1);
    const t = setTimeout(() => {
      later.delete(t);
      check(silentMs, 2);
    }, secondLookMs);
    t.unref();
    later.add(t);
  });
  return () => {
    stop();
    for (const t of later) clearTimeout(t);
    later.clear();
  };
}
