import { createHash } from 'node:crypto';
import type { Json } from './types.js';
import { DEDUPE_WINDOW, type ObjectRecord, type TurnOutcome } from './turn.js';
import { onlyShows } from './commuting-turn.js';
import { applyOps, unmerged, type SetOp } from './state-merge.js';
import { slideWindow, type OutboxEntry } from './outbox-hold.js';

/** What a batch of turns did to an object, in a form that can be replayed on a
 *  newer record of it without running the turns again (docs/architecture/mergeable-state.md). */
export interface RecordDelta {
  /** The commuting changes, in the order the turns made them. */
  ops: SetOp[];
  /** The dedupe-window entries the changing turns added (world/core/turn.ts `recent`). */
  recent: OutboxEntry[];
  /** The fields the object's kind merges, and a digest of the rest of the state
   *  the turns may have decided on, as they read it: replayed only where that is unchanged. */
  fields: string[];
  guard: string;
}

/** The newer record `current` with the delta replayed on it, or undefined when it
 *  cannot be: the object is gone, a message of the batch was applied there
 *  already (a retry: the turn runs again and answers as the duplicate), or
 *  something the turns read and did not merge has changed since. */
export function rebase(current: ObjectRecord | undefined, delta: RecordDelta): ObjectRecord | undefined {
  if (!current) return undefined;
  const applied = (id: string) => current.recent.some(([seen]) => seen === id) || !!current.held?.some(([seen]) => seen === id);
  if (delta.recent.some(([id]) => applied(id))) return undefined;
  if (guardOf(current.state, delta.fields) !== delta.guard) return undefined;
  // What slides out is held if stamped, and nothing is let go or given up: the replay has no deliverer's word
  // and logs nothing; the next turn that writes brings a word, and the bounds.
  const { recent, held } = slideWindow(current.recent, current.held, delta.recent, DEDUPE_WINDOW, undefined, undefined);
  const next: ObjectRecord = { ...current, state: applyOps(current.state, delta.ops), recent };
  if (held) next.held = held;
  else delete next.held;
  return next;
}

/** A digest of what a replayed batch may have decided on: the state less the fields
 *  that merge and less the builder script's `vars`, which only hooks read, and a
 *  replayed batch's hooks only showed lines (world/core/commuting-turn.ts). */
function guardOf(state: Json, fields: readonly string[]): string {
  return createHash('sha1').update(JSON.stringify(unmerged(state, [...fields, 'vars']))).digest('base64');
}

/** Watches a batch's turns go by, in order, and says at the end whether the
 *  batch can be replayed: every turn that changed the record commuted
 *  (TurnOutcome.ops), and every other only showed something. A turn that sent a
 *  message or moved a player without changing the record decided on what it
 *  read, which a replay on a newer record would not see. */
export class BatchDelta {
  private readonly ops: SetOp[] = [];
  private readonly recent: RecordDelta['recent'] = [];
  private commutes = true;

  note(outcome: TurnOutcome): void {
    if (!this.commutes) return;
    if (outcome.changed && outcome.ops && outcome.record) {
      this.ops.push(...outcome.ops);
      this.recent.push(outcome.record.recent[outcome.record.recent.length - 1]);
    } else if (outcome.changed || !outcome.effects.every(onlyShows)) this.commutes = false;
  }

  /** The delta of a batch that ran on `initial` and changed it, with the fields its kind merges. */
  delta(initial: ObjectRecord | undefined, fields: readonly string[] | undefined): RecordDelta | undefined {
    if (!this.commutes || !initial || !fields || this.ops.length === 0) return undefined;
    return { ops: this.ops, recent: this.recent, fields: [...fields], guard: guardOf(initial.state, fields) };
  }
}
