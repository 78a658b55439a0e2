import type { Effect, Ref } from '../../world/core/types.js';

/** How long a home remembers a message it applied: longer than a partition the cluster is meant to ride
 *  out (docs/architecture/partitions.md), so the retry of a message whose answer was lost in the cut finds it. */
export const APPLIED_KEEP_MS = 300_000;
/** At most this many remembered (the oldest go first): about 10 MB of kept effects. */
export const APPLIED_KEEP_MAX = 50_000;

/** The messages this home applied lately, each with the effects its turn's outbox kept (the record's
 *  `recent` entry), noted once the write that applied it was acknowledged. A record's window holds the
 *  last 16 messages only: a busy room writes that many in well under a second, so a message delivered again
 *  after seconds (its answer lost in a cut, the request sent again after the heal) was no longer in it and
 *  was applied twice. Here it is found for as long as it is remembered, and answered with the effects of
 *  the turn that applied it, as the window would. Only what is durable is noted (a write acknowledged, the
 *  window of a record loaded): a message found here was applied. A home that is new to the object knows only
 *  the window of the record it loaded. */
export class AppliedRecently {
  private readonly byId = new Map<string, Applied>();
  /** The same entries in the order they were noted, oldest from `head` on: the next to forget. A Map would give
   *  that order too, but V8 leaves a deleted entry's slot in it until the table is rebuilt, so taking the oldest
   *  by iterating stepped over every entry dropped since: tens of microseconds a write once the bound was reached. */
  private order: Applied[] = [];
  private head = 0;

  constructor(private readonly keepMs = APPLIED_KEEP_MS, private readonly max = APPLIED_KEEP_MAX) {}

  note(ref: Ref, id: string, effects: Effect[], now: number): void {
    const entry = { id, ref, effects, at: now };
    this.byId.set(id, entry);
    this.order.push(entry);
    // Oldest first: drop what is past its time, and past the bound. An entry noted again later stays in `order`
    // under its older place too; only the entry the map still holds is dropped from it.
    while (this.head < this.order.length) {
      const old = this.order[this.head];
      const current = this.byId.get(old.id) === old;
      if (current && this.byId.size <= this.max && now - old.at < this.keepMs) break;
      if (current) this.byId.delete(old.id);
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /** The kept effects of the turn that applied message `id` to `ref`, if this home remembers it. */
  find(ref: Ref, id: string, now: number): Effect[] | undefined {
    const e = this.byId.get(id);
    return e && e.ref === ref && now - e.at < this.keepMs ? e.effects : undefined;
  }

  get size(): number {
    return this.byId.size;
  }
}

interface Applied {
  id: string;
  ref: Ref;
  effects: Effect[];
  at: number;
}
