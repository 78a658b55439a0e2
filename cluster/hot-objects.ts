import type { Ref } from '../world/types.js';

/** Turns per object over the current window: a map of the refs touched since
 *  the last snapshot (not a scan of all objects), cleared at every snapshot. */
export class HotObjects {
  private counts = new Map<Ref, { turns: number; conflicts: number }>();

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

  /** The `limit` busiest refs of the window, then a fresh window. */
  take(limit: number): Array<{ ref: Ref; turns: number; conflicts: number }> {
    const top = [...this.counts].map(([ref, c]) => ({ ref, ...c }))
      .sort((a, b) => b.turns - a.turns || b.conflicts - a.conflicts)
      .slice(0, limit);
    this.counts = new Map();
    return top;
  }
}
