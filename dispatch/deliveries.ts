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

  /** A try of `msg` to `ref` begins: stamped with this engine's word, its count in flight until `ended`. The
   *  message itself is left as it is (it is a turn's kept effect, and tried again). */
  stamp(ref: Ref, msg: Msg): Msg {
    const n = ++this.n;
    let tries = this.inFlight.get(ref);
    if (!tries) this.inFlight.set(ref, (tries = []));
    tries.push(n);
    const open: string[] = [];
    const ids = this.waiting.get(ref);
    if (ids) for (const id of ids.keys()) if (id !== msg.id) open.push(id);
    return { ...msg, delivery: { by: this.by, n, low: tries[0], open } };
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
