// The world's budget for builder scripts' timers (issue 25, item 5). An object's
// timers fire at most 5 a second (world/core/timers.ts), but that bound is per
// object: sixty objects each chaining `ctx.after(0)` within it made a good
// player's command 69 times slower. Every script timer of the world (on one
// gateway: it fires the timers of the objects it owns) draws on one budget, so a
// storm of them costs the scripts' own timers their pace, not players their turns:
// a count (fires a second, with a burst), a share of the time, where a fire's
// time runs from its delivery to the last consequence of its turn (the script
// call, the write, the messages it sends; at most a script call's CPU limit is
// charged), and the script state its turns wrote (JSON characters a second, with
// a burst), one fire at a time. The writes are what a storm of large states costs
// everyone else, and the time does not see them: sixty stones each keeping a
// 64 KiB state at 20-30 fires a second were within the time share, yet wrote
// 1.3-2 MB/s of records to the journal, all of it garbage for the gateway's
// collector once the next fire replaced it (a young collection of 4-15 ms every
// second or two, and full ones, for as long as the storm lasted; docs/BENCHMARKS.md,
// "Attacks, round two"). Charged by size, such a storm fires about twice a second,
// while small states (a lamplighter's muttering, a few hundred characters) meet the
// count long before this bound. The engine's own
// timers (fights, healing, respawn) are the world's rules, bounded by design: they
// do not draw on it.

/** The budget's figures; `DEFAULT_SCRIPT_TIMER_BUDGET` is what a server runs with. */
export interface ScriptTimerLimits {
  /** Script timer fires a second, sustained, over the whole world. */
  firesPerSecond: number;
  /** Fires that may go at once after a quiet spell. */
  fireBurst: number;
  /** The share of the time (0..1) script timers' turns may keep the world busy, sustained. */
  busyShare: number;
  /** Busy time (ms) they may spend at once after a quiet spell. */
  busyBurstMs: number;
  /** JSON characters of script state a second the fires' turns may write, sustained. */
  writeCharsPerSecond: number;
  /** Characters they may write at once after a quiet spell. */
  writeBurstChars: number;
  /** Script timer turns in flight at once. */
  atOnce: number;
  /** The most one fire is charged (ms): a fire that took longer waited behind other
   *  turns (players' commands, the scripts' other messages) more than it worked, and a
   *  script call has 50 ms of CPU at most. */
  chargeCapMs: number;
}

export const DEFAULT_SCRIPT_TIMER_BUDGET: ScriptTimerLimits = {
  firesPerSecond: 50, fireBurst: 50, busyShare: 0.1, busyBurstMs: 250, writeCharsPerSecond: 128 * 1024, writeBurstChars: 256 * 1024, atOnce: 1, chargeCapMs: 50,
};

/** Rounding room for the fractions the refill adds up (a fire due in 1 ms is not made to wait 2). */
const EPSILON = 1e-6;

/** The budget itself, driven by the clock its caller passes (ms): whether a fire
 *  may start now, and what a finished one cost. */
export class ScriptTimerBudget {
  private fires: number;
  private busyMs: number;
  private writeChars: number;
  private at: number | undefined;
  private running = 0;

  constructor(readonly limits: ScriptTimerLimits = DEFAULT_SCRIPT_TIMER_BUDGET) {
    this.fires = limits.fireBurst;
    this.busyMs = limits.busyBurstMs;
    this.writeChars = limits.writeBurstChars;
  }

  /** Fires in flight now. */
  get inFlight(): number {
    return this.running;
  }

  /** 0 and the fire is counted as started, or how long (ms) until one may start
   *  (Infinity: when a fire in flight finishes). */
  take(now: number): number {
    this.refill(now);
    if (this.running >= this.limits.atOnce) return Infinity;
    if (this.fires >= 1 - EPSILON && this.busyMs >= -EPSILON && this.writeChars >= -EPSILON) {
      this.fires -= 1;
      this.running += 1;
      return 0;
    }
    const forFire = ((1 - this.fires) * 1000) / this.limits.firesPerSecond;
    const forTime = -this.busyMs / this.limits.busyShare;
    const forWrites = (-this.writeChars * 1000) / this.limits.writeCharsPerSecond;
    return Math.max(1, Math.ceil(Math.max(forFire, forTime, forWrites) - EPSILON));
  }

  /** A fire that started at `started` had its last consequence at `now`, its turns having written
   *  `wroteChars` of script state: all of it is charged (a write's cost is its size, wherever it waited). */
  finished(started: number, now: number, wroteChars = 0): void {
    this.refill(now);
    this.running -= 1;
    this.busyMs -= Math.min(this.limits.chargeCapMs, Math.max(0, now - started));
    this.writeChars -= wroteChars;
  }

  private refill(now: number): void {
    const since = this.at === undefined ? 0 : Math.max(0, now - this.at);
    this.at = now;
    this.fires = Math.min(this.limits.fireBurst, this.fires + (since * this.limits.firesPerSecond) / 1000);
    this.busyMs = Math.min(this.limits.busyBurstMs, this.busyMs + since * this.limits.busyShare);
    this.writeChars = Math.min(this.limits.writeBurstChars, this.writeChars + (since * this.limits.writeCharsPerSecond) / 1000);
  }
}
