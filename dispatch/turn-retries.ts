const RETRY_DELAYS_MS = [20, 100, 300, 1000, 2000, 4000];
/** A message that must land (dispatch/engine.ts) is tried again at this pace once RETRY_DELAYS_MS is spent, this
 *  many times in all (about 10 minutes: longer than any cut the cluster is meant to ride out; one that fails for a
 *  reason no wait cures is then given up, and logged). */
const MUST_LAND_EVERY_MS = RETRY_DELAYS_MS.at(-1)!;
const MUST_LAND_TRIES = 150;

/** Failed turns waiting to be tried again, and the pace they are tried at. */
export class TurnRetries {
  private readonly waiting = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** Schedules `again` for a turn that failed on try `attempt` (from 0), unless its tries are spent or the
   *  engine stopped; says whether it did. */
  later(attempt: number, mustLand: boolean, again: () => void): boolean {
    if (!(attempt < RETRY_DELAYS_MS.length || (mustLand && attempt < MUST_LAND_TRIES)) || this.stopped) return false;
    const t = setTimeout(() => {
      this.waiting.delete(t);
      again();
    }, (RETRY_DELAYS_MS[attempt] ?? MUST_LAND_EVERY_MS) * (0.5 + Math.random()));
    this.waiting.add(t);
    return true;
  }

  /** Drops the turns waiting (the process is stopping), and schedules no more. */
  stop(): void {
    this.stopped = true;
    for (const t of this.waiting) clearTimeout(t);
    this.waiting.clear();
  }
}
