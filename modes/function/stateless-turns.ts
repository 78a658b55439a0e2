import type { Effect, Json, Msg, Ref, TurnConfig, WorldView } from '../../world/core/types.js';
import { runTurn, type ObjectRecord } from '../../world/core/turn.js';
import type { StateStore, Versioned } from '../../store/state-store.js';
import type { BatchResult } from './function-requests.js';
import { BatchDelta, type RecordDelta } from '../../world/core/record-rebase.js';
import { NewestWords } from '../../world/core/newest-words.js';
import { kindOf } from '../../world/kinds/index.js';
import { mergeCas } from '../../store/merging-cas.js';

/** Compare-and-swap attempts of one batch before it fails (modes/function/gateway-commits.ts too). */
export const MAX_ATTEMPTS = 50;

/** Function mode on a node: no state kept between turns. Read the object from
 *  the store, run the turn, write it back with compare-and-swap on the revision
 *  read; on conflict run again on the fresher state (the failed attempt's
 *  effects are dropped) after a jittered backoff. A turn that changes nothing
 *  writes nothing, so read-heavy hot objects scale out without conflicts. */
export class StatelessTurns {
  constructor(private readonly store: StateStore, private world: WorldView) {}

  setWorld(world: WorldView): void {
    this.world = world;
  }

  async run(ref: Ref, msg: Msg, config: TurnConfig): Promise<{ effects: Effect[]; conflicts: number; wrote: boolean }> {
    const r = await this.runBatch(ref, [msg], config);
    const only = r.results[0];
    if ('error' in only) throw new Error(only.error);
    return { effects: only.effects, conflicts: r.conflicts, wrote: r.wrote };
  }

  /** Several turns of one object, in order, each on the state the one before
   *  left, committed by one CAS: a hot object's queued turns cost one read and
   *  one write, not one each. All or nothing: on conflict all run again on the
   *  fresher state. A turn that throws is left out (its own error) and the
   *  others go on, as they would one by one. */
  async runBatch(ref: Ref, msgs: Msg[], config: TurnConfig): Promise<{ results: BatchResult[]; conflicts: number; wrote: boolean }> {
    let current: Versioned | undefined = await this.store.get(ref);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const initial = current?.value as unknown as ObjectRecord | undefined;
      const { results, record, delta } = this.compute(ref, msgs, config, initial);
      if (record === initial) return { results, conflicts: attempt, wrote: false };
      const result = await this.store.cas(ref, record as unknown as Json, current?.revision ?? 0);
      if (result.ok) return { results, conflicts: attempt, wrote: true };
      // Lost to a write that commutes with this batch: replayed on it, not run again. Still a
      // lost race for the contention gate: a narrower window makes bigger batches, fewer writes.
      if (delta && (await mergeCas(this.store, ref, delta, result.current)) !== undefined) return { results, conflicts: attempt + 1, wrote: true };
      current = result.current;
      await backoff(attempt);
    }
    throw new Error(`gave up on ${ref} after ${MAX_ATTEMPTS} conflicting attempts`);
  }

  /** The turns of a batch, in order, each on the record the one before left;
   *  no store involved. `record` is `initial` itself when nothing changed;
   *  `delta` is there when the batch changed it and commutes (TurnConfig.merge). */
  compute(ref: Ref, msgs: Msg[], config: TurnConfig, initial: ObjectRecord | undefined): { results: BatchResult[]; record: ObjectRecord | undefined; delta?: RecordDelta } {
    let record = initial;
    const now = Date.now();
    const batch = config.merge ? new BatchDelta() : undefined;
    // Each turn lets go by the newest word of its engine in the batch (world/core/newest-words.ts).
    const words = new NewestWords();
    for (const msg of msgs) words.note(msg);
    const results = msgs.map((msg): BatchResult => {
      try {
        const outcome = runTurn(this.world, config, ref, record, words.fresh(msg), now);
        if (outcome.changed) record = outcome.record;
        batch?.note(outcome);
        return { effects: outcome.effects };
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err) };
      }
    });
    const delta = record === initial ? undefined : batch?.delta(initial, kindOf(ref, this.world)?.merges?.fields);
    return { results, record, delta };
  }
}

/** Full jitter, capped: contenders spread out instead of colliding in step. The
 *  cap is short: the gateway already limits how many turns of one object race
 *  (modes/function/contention-gate.ts), so a loser mostly needs to let the winner land. */
export function backoff(attempt: number): Promise<void> {
  const cap = Math.min(20, 0.25 * 2 ** attempt);
  const ms = Math.random() * cap;
  return ms < 0.05 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms));
}
