import { Histogram } from '../support/histogram.js';
import type { Ref } from '../world/core/types.js';

/** What `mud status` and the monitor show of the timers, over one sampling window. */
export interface TimerStats {
  pending: number;
  fired: number;
  /** Fire time minus due time (ms) of the timers fired in the window. */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

/** The longest one setTimeout is trusted with: later timers are re-armed, so a
 *  suspended machine or a clock step is caught within this. */
const MAX_ARM_MS = 10_000;

/** The gateway's index of pending timers, by due time: a binary min-heap over
 *  three parallel arrays (no object per timer), one setTimeout armed for the
 *  earliest. It holds only (due, ref, id); the timer's message stays in its
 *  object's record, which is the truth: a timer delivered twice, late or after a
 *  cancel is a no-op there (world/core/timers.ts). So this index may forget (a crash:
 *  it is rebuilt from the store at start) or repeat itself, never lose a timer
 *  that committed, nor fire one twice. */
export class TimerQueue {
  private dues: number[] = [];
  private refs: Ref[] = [];
  private ids: string[] = [];
  /** `ref id` -> due of the live entry: skips repeated announcements. */
  private readonly live = new Map<string, number>();
  private armed: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private stopped = false;
  private fired = 0;
  readonly lag = new Histogram();

  constructor(
    private readonly fire: (ref: Ref, id: string) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.live.size;
  }

  /** Queues a timer; false when stopped or when it is already queued for that time. */
  add(ref: Ref, id: string, due: number): boolean {
    if (this.stopped) return false;
    const key = `${ref} ${id}`;
    if (this.live.get(key) === due) return false;
    this.live.set(key, due);
    this.push(due, ref, id);
    if (due < this.armedFor) this.arm();
    return true;
  }

  /** Fired since the queue started. */
  get firedTotal(): number {
    return this.fired;
  }

  /** The window since the last call: its lag figures, then a fresh window. */
  takeWindow(): TimerStats {
    const stats = {
      pending: this.live.size, fired: this.lag.total,
      lagP50Ms: this.lag.quantile(0.5) / 1000, lagP99Ms: this.lag.quantile(0.99) / 1000, lagMaxMs: this.lag.max / 1000,
    };
    this.lag.reset();
    return stats;
  }

  /** Fires nothing more (shutdown): the timers stay in their records. */
  stop(): void {
    this.stopped = true;
    if (this.armed) clearTimeout(this.armed);
    this.armed = undefined;
  }

  private arm(): void {
    if (this.armed) clearTimeout(this.armed);
    this.armed = undefined;
    this.armedFor = Infinity;
    if (this.dues.length === 0 || this.stopped) return;
    const due = this.dues[0];
    this.armedFor = due;
    this.armed = setTimeout(() => this.tick(), Math.min(MAX_ARM_MS, Math.max(0, due - this.clock())));
    this.armed.unref();
  }

  private tick(): void {
    this.armed = undefined;
    const now = this.clock();
    while (this.dues.length > 0 && this.dues[0] <= now) {
      const due = this.dues[0];
      const ref = this.refs[0];
      const id = this.ids[0];
      this.pop();
      const key = `${ref} ${id}`;
      if (this.live.get(key) !== due) continue; // superseded by a later announcement
      this.live.delete(key);
      this.fired += 1;
      this.lag.recordMs(now - due);
      this.fire(ref, id);
    }
    this.arm();
  }

  private push(due: number, ref: Ref, id: string): void {
    let i = this.dues.length;
    this.dues.push(due);
    this.refs.push(ref);
    this.ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.dues[parent] <= due) break;
      this.move(parent, i);
      i = parent;
    }
    this.place(i, due, ref, id);
  }

  private pop(): void {
    const last = this.dues.length - 1;
    const due = this.dues[last];
    const ref = this.refs[last];
    const id = this.ids[last];
    this.dues.pop();
    this.refs.pop();
    this.ids.pop();
    if (last === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.dues[child + 1] < this.dues[child]) child += 1;
      if (this.dues[child] >= due) break;
      this.move(child, i);
      i = child;
    }
    this.place(i, due, ref, id);
  }

  private move(from: number, to: number): void {
    this.dues[to] = this.dues[from];
    this.refs[to] = this.refs[from];
    this.ids[to] = this.ids[from];
  }

  private place(i: number, due: number, ref: Ref, id: string): void {
    this.dues[i] = due;
    this.refs[i] = ref;
    this.ids[i] = id;
  }
}
