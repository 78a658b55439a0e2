import type { Ref } from '../world/core/types.js';
import type { Logger } from '../support/logger.js';
import type { ClusterSessions } from './cluster-sessions.js';
import { retryUntilDone } from '../support/retry-until-done.js';

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
  const stopping = new AbortController();
  const check = (silentMs: number, pass: number) => {
    const started = performance.now();
    // The store may still be out of reach (the heal of a cut that also moved the KV leader): tried until done.
    retryUntilDone(() => sessions.reclaim(enter), {
      signal: stopping.signal,
      onFailure: (err, attempt, nextMs) => log.warn('sessions recheck failed', { silentMs, pass, attempt, why: err instanceof Error ? err.message : String(err), retryInMs: nextMs }),
    }).then(
      (c) => {
        if (c.entered || c.closed || c.failed || pass === 1) log.info('sessions rechecked', { silentMs, pass, ...c, ms: Math.round(performance.now() - started) });
      },
      () => undefined, // stopped
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
    stopping.abort();
    for (const t of later) clearTimeout(t);
    later.clear();
  };
}
