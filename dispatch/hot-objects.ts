import type { Ref } from '../world/core/types.js';

export interface HotRate {
  ref: Ref;
  turnsPerSec: number;
  conflictsPerSec: number;
}

/** How much of each new window goes into the smoothed rate: at four windows a
 *  second, a burst or a gap fades over about a second. */
const WEIGHT = 0.3;
/** Rates below this are gone, not hot. */
const FADED = 0.05;
/** Refs remembered between windows (the list shows ten). */
const TRACKED = 50;

/** Turns and conflicts per object: a map of the refs touched this window (not a
 *  scan of all objects), folded at each snapshot into smoothed per-second rates.
 *  Smoothing matters: a hot actor's turns complete in batches when its home is
 *  saturated, so one quiet 250 ms window must not drop it from the list. */
export class HotObjects {
  private counts = new Map<Ref, { turns: number; conflicts: number }>();
  private rates = new Map<Ref, { turns: number; conflicts: number }>();

  touch(ref: Ref): void {
    const c = this.counts.get(ref);
    if (c) c.turns += 1;
    else this.counts.set(ref, { turns: 1, conflicts: 0 });
  }

  conflict(ref: Ref, count = 1): void {
    const c = this.counts.get(ref);
    if (c) c.conflicts += count;
    else this.counts.set(ref, { turns: 0, conflicts: count });
  }

  /** Folds the window of `secs` seconds into the rates; the `limit` busiest, then a fresh window. */
  take(limit: number, secs: number): HotRate[] {
    const next = new Map<Ref, { turns: number; conflicts: number }>();
    for (const ref of new Set([...this.rates.keys(), ...this.counts.keys()])) {
      const was = this.rates.get(ref);
      const now = this.counts.get(ref);
      const turns = blend(was?.turns, (now?.turns ?? 0) / secs);
      const conflicts = blend(was?.conflicts, (now?.conflicts ?? 0) / secs);
      if (turns >= FADED || conflicts >= FADED) next.set(ref, { turns, conflicts });
    }
    const ranked = [...next].sort(([, a], [, b]) => b.turns - a.turns || b.conflicts - a.conflicts);
    this.rates = new Map(ranked.slice(0, TRACKED));
    this.counts = new Map();
    return ranked.slice(0, limit).map(([ref, r]) => ({ ref, turnsPerSec: r.turns, conflictsPerSec: r.conflicts }));
  }
}

/** The first window of a ref counts whole, so a new hot object shows at once. */
function blend(previous: number | undefined, current: number): number {
  return previous === undefined ? current : previous + WEIGHT * (current - previous);
}
