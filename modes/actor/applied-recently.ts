import type { Effect, Ref } from '../../world/core/types.js';
import { OldestFirstMap } from '../../support/oldest-first-map.js';

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
  private readonly byId = new OldestFirstMap<string, { ref: Ref; effects: Effect[]; at: number }>();

  constructor(private readonly keepMs = APPLIED_KEEP_MS, private readonly max = APPLIED_KEEP_MAX) {}

  note(ref: Ref, id: string, effects: Effect[], now: number): void {
    this.byId.set(id, { ref, effects, at: now });
    // Oldest first: drop what is past its time, and past the bound.
    this.byId.dropOldestWhile((_, e) => this.byId.size > this.max || now - e.at >= this.keepMs);
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
