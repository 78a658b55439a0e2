import type { Msg, Ref } from '../world/core/types.js';

/** The messages this engine may still deliver, per object, and the word each try carries (Msg.delivery): a
 *  record holds the outbox entry of a message past its window until that word says the answer came
 *  (world/core/outbox-hold.ts, docs/architecture/partitions.md "The outbox held"). A message may be
 *  delivered again from its first try until its answer, or its last try given up. While a try is under way
 *  its count (`n`) is in flight; between two tries (a retry waiting its time, a stale table being adopted, a
 *  settle to come, a try waiting at the switch barrier) its id is waiting (`wait`, `done`, each counted once).
 *  The word: `low`, the oldest try in flight to the object (every try before it has ended), and `open`, the
 *  ids waiting (mostly none): an entry applied by a try before `low` whose id is not open is answered. */
export class Deliveries {
  private n = 0;
  private readonly inFlight = new Map<Ref, number[]>();
  private readonly waiting = new Map<Ref, Map<string, number>>();
  /** Ids waiting for their next try rather than for a count of ends, with how long at most (ms since the epoch). */
  private readonly untilNextTry = new Map<Ref, Map<string, number>>();

  /** `by`: this engine's boot id (dispatch/message-ids.ts), new at each start: a gateway started again may
   *  deliver nothing its last life sent. */
  constructor(readonly by: string) {}

  wait(ref: Ref, id: string): void {
    let ids = this.waiting.get(ref);
    if (!ids) this.waiting.set(ref, (ids = new Map()));
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }

  done(ref: Ref, id: string): void {
    const ids = this.waiting.get(ref);
    const left = (ids?.get(id) ?? 0) - 1;
    if (left > 0) ids!.set(id, left);
    else if (ids?.delete(id) && ids.size === 0) this.waiting.delete(ref);
  }

  /** `id` will be tried again later by whatever fires it anew (a timer given up on is fired again from its
   *  record, dispatch/turn-failures.ts): open until its next try here begins, or until `until` (its timer was
   *  moved to another gateway or cancelled meanwhile, and no try here will come). */
  waitForNextTry(ref: Ref, id: string, until: number): void {
    let ids = this.untilNextTry.get(ref);
    if (!ids) this.untilNextTry.set(ref, (ids = new Map()));
    if (!ids.has(id)) this.wait(ref, id);
    ids.set(id, until);
    this.nextTry(ref, '', Date.now()); // those past their time go (a mode whose tries are never stamped)
  }

  /** A try of `msg` to `ref` begins: stamped with this engine's word, its count in flight until `ended`. The
   *  message itself is left as it is (it is a turn's kept effect, and tried again). */
  stamp(ref: Ref, msg: Msg): Msg {
    const n = ++this.n;
    let tries = this.inFlight.get(ref);
    if (!tries) this.inFlight.set(ref, (tries = []));
    tries.push(n);
    if (this.untilNextTry.has(ref)) this.nextTry(ref, msg.id, Date.now());
    const open: string[] = [];
    const ids = this.waiting.get(ref);
    if (ids) for (const id of ids.keys()) if (id !== msg.id) open.push(id);
    return { ...msg, delivery: { by: this.by, n, low: tries[0], open } };
  }

  /** `id`'s next try begins (it is no longer waited on), and those waited on past their time end. */
  private nextTry(ref: Ref, id: string, now: number): void {
    const ids = this.untilNextTry.get(ref)!;
    for (const [waited, until] of ids) {
      if (waited !== id && until > now) continue;
      ids.delete(waited);
      this.done(ref, waited);
    }
    if (ids.size === 0) this.untilNextTry.delete(ref);
  }

  /** The try stamped `n` to `ref` has its answer, or failed. */
  ended(ref: Ref, n: number): void {
    const tries = this.inFlight.get(ref);
    if (!tries) return;
    const at = tries[0] === n ? 0 : tries.indexOf(n);
    if (at >= 0) tries.splice(at, 1);
    if (tries.length === 0) this.inFlight.delete(ref);
  }
}
