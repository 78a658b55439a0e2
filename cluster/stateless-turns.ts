import type { Effect, Json, Msg, Ref, TurnConfig, WorldView } from '../world/types.js';
import { runTurn, type ObjectRecord } from '../world/turn.js';
import type { StateStore, Versioned } from './state-store.js';

const MAX_ATTEMPTS = 50;

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
    let current: Versioned | undefined = await this.store.get(ref);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const outcome = runTurn(this.world, config, ref, current?.value as unknown as ObjectRecord | undefined, msg, Date.now());
      if (!outcome.changed) return { effects: outcome.effects, conflicts: attempt, wrote: false };
      const result = await this.store.cas(ref, outcome.record as unknown as Json, current?.revision ?? 0);
      if (result.ok) return { effects: outcome.effects, conflicts: attempt, wrote: true };
      current = result.current;
      await backoff(attempt);
    }
    throw new Error(`gave up on ${ref} after ${MAX_ATTEMPTS} conflicting attempts`);
  }
}

/** Full jitter, capped: contenders spread out instead of colliding in step. The
 *  cap is short: the gateway already limits how many turns of one object race
 *  (dispatch/contention-gate.ts), so a loser mostly needs to let the winner land. */
function backoff(attempt: number): Promise<void> {
  const cap = Math.min(20, 0.25 * 2 ** attempt);
  const ms = Math.random() * cap;
  return ms < 0.05 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms));
}
