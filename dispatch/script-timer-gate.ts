import type { Ref } from '../world/core/types.js';
import { ScriptTimerBudget, type ScriptTimerLimits } from './script-timer-budget.js';

/** The gateway's queue in front of the script timer budget (script-timer-budget.ts):
 *  due script timers wait here, in the order they came due, and fire as the
 *  budget allows. Each chain of `ctx.after` has one timer due at a time, so the
 *  order is a round over the objects that want to fire: a storm's objects wait
 *  their turns, and a quiet script's timer waits at most one round. What waits is
 *  only (ref, id): the timer stays in its object's record until it fires, so a
 *  restart forgets nothing, and a timer cancelled meanwhile fires as a no-op. */
export class ScriptTimerGate {
  private readonly budget: ScriptTimerBudget;
  private refs: Ref[] = [];
  private ids: string[] = [];
  private head = 0;
  private armed: NodeJS.Timeout | undefined;
  private stopped = false;
  private warnedAt = -Infinity;
  private held = 0;

  constructor(
    /** Delivers a fire; resolves when its turn's last consequence is done. */
    private readonly fire: (ref: Ref, id: string) => Promise<void>,
    /** The builder's log: the world's script timers are over their budget. */
    private readonly warn: (text: string) => void,
    limits?: ScriptTimerLimits,
    private readonly clock: () => number = () => performance.now(),
    private readonly warnEveryMs = 60_000,
  ) {
    this.budget = new ScriptTimerBudget(limits);
  }

  /** Script timers due and waiting for the budget. */
  get waiting(): number {
    return this.refs.length - this.head;
  }

  /** Fires that had to wait, since the gateway started. */
  get heldTotal(): number {
    return this.held;
  }

  submit(ref: Ref, id: string): void {
    if (this.stopped) return;
    this.refs.push(ref);
    this.ids.push(id);
    this.pump();
    if (this.waiting > 0) this.held += 1;
  }

  /** Fires nothing more (shutdown): the timers stay in their records. */
  stop(): void {
    this.stopped = true;
    if (this.armed) clearTimeout(this.armed);
    this.armed = undefined;
    this.refs = [];
    this.ids = [];
    this.head = 0;
  }

  private pump(): void {
    while (!this.stopped && this.waiting > 0) {
      const now = this.clock();
      const wait = this.budget.take(now);
      if (wait === Infinity) return; // one in flight: the next goes when it is done
      if (wait > 0) {
        this.tellBuilder(now);
        this.arm(wait);
        return;
      }
      const ref = this.refs[this.head];
      const id = this.ids[this.head];
      this.head += 1;
      if (this.head > 1024 && this.head * 2 > this.refs.length) this.compact();
      this.fire(ref, id).then(() => {
        this.budget.finished(now, this.clock());
        this.pump();
      });
    }
  }

  private arm(ms: number): void {
    if (this.armed) return;
    this.armed = setTimeout(() => {
      this.armed = undefined;
      this.pump();
    }, ms);
    this.armed.unref();
  }

  /** At most once a `warnEveryMs`: the budget, and the objects most of the waiting timers are theirs. */
  private tellBuilder(now: number): void {
    if (now - this.warnedAt < this.warnEveryMs) return;
    this.warnedAt = now;
    const counts = new Map<Ref, number>();
    for (let i = this.head; i < this.refs.length; i++) counts.set(this.refs[i], (counts.get(this.refs[i]) ?? 0) + 1);
    const busiest = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([ref]) => ref);
    const l = this.budget.limits;
    this.warn(
      `script timers of the world fire more than their budget allows (${l.firesPerSecond} a second, `
      + `${Math.round(l.busyShare * 100)}% of the time): ${this.waiting} wait their turn, among them ${busiest.join(', ')}`
      + `${counts.size > busiest.length ? ` and ${counts.size - busiest.length} more objects` : ''}`,
    );
  }

  private compact(): void {
    this.refs = this.refs.slice(this.head);
    this.ids = this.ids.slice(this.head);
    this.head = 0;
  }
}
