import type { Delivery, Effect, Msg } from './types.js';
import type { ObjectRecord } from './turn.js';

// The outbox kept until its deliverer has the answer (docs/architecture/partitions.md, "The outbox held").
// A record's window (world/core/turn.ts `recent`) keeps the last 16 messages it applied, each with the
// effects its turn kept. A message whose answer was lost is delivered again by its gateway, for as long as it
// takes (a consequence must land), and a busy object writes 16 times in well under a second: the window alone
// had slid past it, and the message ran twice. So an entry that slides out of the window while its deliverer
// may still deliver it again is held, with its kept effects, until the deliverer says it has the answer.

/** One applied message: its id, the effects its turn kept, when (ms), and, stamped, who delivered the try that
 *  applied it and that try's place (Msg.delivery's `by` and `n`). */
export type OutboxEntry = [string, Effect[], number] | [string, Effect[], number, string, number];

/** An entry held past the window is given up this long after its turn: longer than a consequence is tried
 *  (dispatch/turn-retries.ts, about 10 minutes at most), so only a gateway that died leaves one this old. */
export const HOLD_MS = 20 * 60_000;
/** At most this many held per record, oldest given up first: a record stays small whatever a gateway does. */
export const HOLD_MAX = 64;

/** The window after `entry` joins it, and the entries held past it. An entry sliding out is held unless its
 *  deliverer has it answered; held entries its deliverer has answered are let go, and those past HOLD_MS or
 *  HOLD_MAX are given up (returned in `dropped`, for the builder's log). `msg` is the message of the turn that
 *  writes (its `delivery`, the word of its deliverer), and `now` its time; both absent where a batch's delta is
 *  replayed on a newer record (world/core/record-rebase.ts): then nothing is let go or given up. */
export function slideWindow(
  recent: OutboxEntry[], held: OutboxEntry[] | undefined, added: OutboxEntry[], windowSize: number, msg: Msg | undefined, now: number | undefined,
): { recent: OutboxEntry[]; held: OutboxEntry[] | undefined; dropped: OutboxEntry[] } {
  const word = msg?.delivery;
  const joined = recent.concat(added);
  const over = Math.max(0, joined.length - windowSize);
  let kept = held ? (word ? held.filter((e) => !answered(e, word)) : held.slice()) : [];
  for (let i = 0; i < over; i++) {
    const e = joined[i];
    if (e.length === 5 && !(word && answered(e, word))) kept.push(e);
  }
  let dropped: OutboxEntry[] = [];
  if (now !== undefined && kept.length > 0) {
    const fresh = kept.findIndex((e) => now - e[2] < HOLD_MS);
    const from = Math.max(fresh === -1 ? kept.length : fresh, kept.length - HOLD_MAX);
    if (from > 0) {
      dropped = kept.slice(0, from);
      kept = kept.slice(from);
    }
  }
  return { recent: over > 0 ? joined.slice(over) : joined, held: kept.length > 0 ? kept : undefined, dropped };
}

/** Its deliverer has the answer of this entry's message: the try that applied it has ended (it came before the
 *  oldest try still under way), and the deliverer will not try it again. */
function answered(e: OutboxEntry, word: Delivery): boolean {
  return e.length === 5 && e[3] === word.by && e[4] < word.low && !word.open.includes(e[0]);
}

/** The entry a turn adds for its message: stamped with its delivery when it has one. */
export function entryOf(msg: Msg, kept: Effect[], now: number): OutboxEntry {
  const word = msg.delivery;
  return word ? [msg.id, kept, now, word.by, word.n] : [msg.id, kept, now];
}

/** The builder's log line for the entries a write gave up while their deliverers had not said they have the
 *  answer: delivered again, they would apply again. One line per write, however many. */
export function droppedLine(ref: string, dropped: OutboxEntry[], now: number): string {
  const [id, , at, by] = dropped[0];
  const more = dropped.length > 1 ? ` and ${dropped.length - 1} later` : '';
  return `outbox of message ${id}${more} to ${ref} given up unanswered after ${Math.round((now - at) / 1000)} s (delivered by ${by}): delivered again, it would apply again`;
}

/** Message `id`'s answer has reached its engine for certain (an object homed in the engine's own process, once
 *  the write that applied it is acknowledged): its entry needs no holding. Unstamped in the window, let go if
 *  held already. In place: `record` is the home's latest, not yet written (its next write carries this). */
export function answeredHere(record: ObjectRecord, id: string): void {
  const { recent, held } = record;
  for (let i = recent.length - 1; i >= 0; i--) {
    const e = recent[i];
    if (e[0] !== id) continue;
    if (e.length === 5) recent[i] = [e[0], e[1], e[2]];
    return;
  }
  const at = held ? held.findIndex(([seen]) => seen === id) : -1;
  if (at < 0) return;
  held!.splice(at, 1);
  if (held!.length === 0) delete record.held;
}
