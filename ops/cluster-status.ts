import type { GatewayReport, GatewayRow, HotRow, StoreRow, TimerRow } from './status.js';

export interface ClusterFigures {
  players: number;
  gateways: GatewayRow[];
  store: StoreRow;
  hot: HotRow[];
  timers: TimerRow;
}

const HOT_ROWS = 10;

/** The cluster's figures from this gateway's own window and the other gateways'
 *  last heartbeats (at most a second old): whichever gateway is asked, the status
 *  is the same. Sums what adds up (players, store traffic, an object's turns from
 *  every gateway), keeps the worst of what does not (timer lag, a queue). */
export function mergeGatewayReports(
  own: GatewayReport,
  others: readonly GatewayReport[],
  placeOf: (ref: string) => { mode: string; home: string },
): ClusterFigures {
  const all = [own, ...others];
  const gateways = [own.gateway, ...others.map((r) => r.gateway).sort((a, b) => a.id.localeCompare(b.id))];
  return {
    players: gateways.reduce((n, g) => n + g.sockets, 0),
    gateways,
    store: sumStore(all.map((r) => r.store)),
    hot: mergeHot(all.map((r) => r.hot), placeOf),
    timers: mergeTimers(own.timers, others.map((r) => r.timers)),
  };
}

function sumStore(rows: StoreRow[]): StoreRow {
  const sum = (k: keyof Omit<StoreRow, 'kind'>) => rows.reduce((n, r) => n + (r[k] ?? 0), 0);
  return {
    kind: rows[0].kind, opsPerSec: sum('opsPerSec'), readsPerSec: sum('readsPerSec'), writesPerSec: sum('writesPerSec'),
    conflictsPerSec: sum('conflictsPerSec'), commitsPerSec: sum('commitsPerSec'),
  };
}

function mergeHot(lists: HotRow[][], placeOf: (ref: string) => { mode: string; home: string }): HotRow[] {
  const byRef = new Map<string, HotRow>();
  for (const list of lists) {
    for (const h of list ?? []) {
      const known = byRef.get(h.ref);
      if (!known) {
        byRef.set(h.ref, { ...h, ...placeOf(h.ref) });
        continue;
      }
      known.turnsPerSec += h.turnsPerSec;
      known.conflictsPerSec += h.conflictsPerSec;
      // Each gateway queues its own turns of the object: the object's queue is all of them.
      known.mailbox += h.mailbox;
    }
  }
  return [...byRef.values()].sort((a, b) => b.turnsPerSec - a.turnsPerSec).slice(0, HOT_ROWS);
}

function mergeTimers(own: TimerRow, others: TimerRow[]): TimerRow {
  const all = [own, ...others.filter(Boolean)];
  return {
    pending: all.reduce((n, t) => n + t.pending, 0),
    firedPerSec: all.reduce((n, t) => n + t.firedPerSec, 0),
    lagP50Ms: Math.max(...all.map((t) => t.lagP50Ms)),
    lagP99Ms: Math.max(...all.map((t) => t.lagP99Ms)),
    lagMaxMs: Math.max(...all.map((t) => t.lagMaxMs)),
  };
}
