import type { Effect, Msg } from '../../world/core/types.js';
import type { BatchResult } from './function-requests.js';

/** Turns of one object, at most a dedupe window's half (world/core/turn.ts keeps 16 ids). */
export const MAX_BATCH = 8;

/** Function mode's turns of one hot object that queued at the contention gate
 *  together: they leave as one request, run in order on one read of the state
 *  and commit with one CAS (modes/function/stateless-turns.ts), so a queue of turns on
 *  a hot room costs one store round trip instead of one each. Each turn keeps
 *  its own promise: its effects, or its own error. */
export class TurnBatch {
  readonly msgs: Msg[] = [];
  private readonly waiters: Array<{ resolve(e: Effect[]): void; reject(err: unknown): void }> = [];

  get full(): boolean {
    return this.msgs.length >= MAX_BATCH;
  }

  add(msg: Msg): Promise<Effect[]> {
    this.msgs.push(msg);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  settle(results: BatchResult[]): void {
    this.waiters.forEach((w, i) => {
      const r = results[i];
      if (r && 'effects' in r) w.resolve(r.effects);
      else w.reject(new Error(r ? r.error : 'no result for this turn in the batch'));
    });
  }

  fail(err: unknown): void {
    for (const w of this.waiters) w.reject(err);
  }
}
