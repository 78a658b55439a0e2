import type { Ref } from '../world/core/types.js';
import { ScriptTimerBudget, type ScriptTimerLimits } from './script-timer-budget.js';

/** A due timer's id, or a delivery deferred to the budget (chain-write-bound.ts): it delivers, and resolves
 *  when its turn's last consequence is done, with the JSON characters of script state its turns wrote. */
type Entry = string | (() => Promise<number>);

/** One script's due timers and deferred deliveries, in the order they came. */
class Lane {
  refs: Ref[] = [];
  entries: Entry[] = [];
  head = 0;

  get size(): number {
    return this.refs.length - this.head;
  }

  push(ref: Ref, entry: Entry): void {
    this.refs.push(ref);
    this.entries.push(entry);
  }

  shift(): [Ref, Entry] {
    const taken: [Ref, Entry] = [this.refs[this.head], this.entries[this.head]];
    this.head += 1;
    if (this.head === this.refs.length) {
      this.refs = [];
      this.entries = [];
      this.head = 0;
    }
    return taken;
  }
}

/** The gateway's queue in front of the script timer budget (script-timer-budget.ts):
 *  due script timers wait here and fire as the budget allows, in rounds over the
 *  scripts that have timers waiting (a script: one file, or one inline block, which
 *  all its objects share), one fire per script a round, each script's in the order
 *  they came due. So a storm from one script's sixty objects waits on itself,
 *  and another script's timer waits at most one fire per storming script. What waits
 *  is only (ref, id): the timer stays in its object's record until it fires, so a
 *  restart forgets nothing, and a timer cancelled meanwhile fires as a no-op. A chain
 *  of turns past its bound on script state written (chain-write-bound.ts) sends its
 *  further deliveries to scripts here too, each in the lane of its target's script. */
export class ScriptTimerGate {
  private readonly budget: ScriptTimerBudget;
  private readonly lanes = new Map<string, Lane>();
  /** Scripts with timers waiting, in the order of the round. */
  private round: string[] = [];
  private next = 0;
  private count = 0;
  private armed: NodeJS.Timeout | undefined;
  private stopped = false;
  private warnedAt = -Infinity;
  private held = 0;

  constructor(
    /** Delivers a fire; resolves when its turn's last consequence is done, with the JSON characters of
     *  script state its turns wrote. */
    private readonly fire: (ref: Ref, id: string) => Promise<number>,
    /** The builder's log: the world's script timers are over their budget. */
    private readonly warn: (text: string) => void,
    /** The script an object's timers belong to (its file, or file:line for an inline one). */
    private readonly scriptOf: (ref: Ref) => string,
    limits?: ScriptTimerLimits,
    private readonly clock: () => number = () => performance.now(),
    private readonly warnEveryMs = 60_000,
  ) {
    this.budget = new ScriptTimerBudget(limits);
  }

  /** Script timers due and waiting for the budget. */
  get waiting(): number {
    return this.count;
  }

  /** Fires that had to wait, since the gateway started. */
  get heldTotal(): number {
    return this.held;
  }

  submit(ref: Ref, id: string): void {
    if (!this.stopped) this.enqueue(ref, id);
  }

  /** A delivery to `ref` deferred to the budget: `run` delivers it when its turn comes (at once after `stop`). */
  defer(ref: Ref, run: () => Promise<number>): void {
    if (this.stopped) void run();
    else this.enqueue(ref, run);
  }

  private enqueue(ref: Ref, entry: Entry): void {
    const script = this.scriptOf(ref);
    let lane = this.lanes.get(script);
    if (!lane) this.lanes.set(script, (lane = new Lane()));
    if (lane.size === 0) this.round.push(script);
    lane.push(ref, entry);
    this.count += 1;
    this.pump();
    if (this.count > 0) this.held += 1;
  }

  /** Fires nothing more (shutdown): the timers stay in their records. The deferred deliveries go at once:
   *  their senders' turns are committed, and a stop waits for them (Engine.quiesce). */
  stop(): void {
    this.stopped = true;
    if (this.armed) clearTimeout(this.armed);
    this.armed = undefined;
    for (const lane of this.lanes.values()) {
      for (let i = lane.head; i < lane.entries.length; i++) {
        const entry = lane.entries[i];
        if (typeof entry !== 'string') void entry();
      }
    }
    this.lanes.clear();
    this.round = [];
    this.count = 0;
  }

  private pump(): void {
    while (!this.stopped && this.count > 0) {
      const now = this.clock();
      const wait = this.budget.take(now);
      if (wait === Infinity) return; // one in flight: the next goes when it is done
      if (wait > 0) {
        this.tellBuilder(now);
        this.arm(wait);
        return;
      }
      const [ref, entry] = this.take();
      (typeof entry === 'string' ? this.fire(ref, entry) : entry()).then((wroteChars) => {
        this.budget.finished(now, this.clock(), wroteChars);
        this.pump();
      });
    }
  }

  /** The next script's oldest due timer; a script with none left leaves the round. */
  private take(): [Ref, Entry] {
    if (this.next >= this.round.length) this.next = 0;
    const script = this.round[this.next];
    const lane = this.lanes.get(script)!;
    const taken = lane.shift();
    this.count -= 1;
    if (lane.size > 0) this.next += 1;
    else {
      this.round.splice(this.next, 1);
      this.lanes.delete(script);
    }
    return taken;
  }

  private arm(ms: number): void {
    if (this.armed) return;
    this.armed = setTimeout(() => {
      this.armed = undefined;
      this.pump();
    }, ms);
    this.armed.unref();
  }

  /** At most once a `warnEveryMs`: the budget, and the scripts most of the waiting timers are theirs. */
  private tellBuilder(now: number): void {
    if (now - this.warnedAt < this.warnEveryMs) return;
    this.warnedAt = now;
    const busiest = [...this.lanes].sort((a, b) => b[1].size - a[1].size).slice(0, 3)
      .map(([script, lane]) => `${script} (${lane.size}, on ${lane.refs[lane.head]}${lane.size > 1 ? ' and others' : ''})`);
    const l = this.budget.limits;
    this.warn(
      `script timers of the world fire more than their budget allows (${l.firesPerSecond} a second, `
      + `${Math.round(l.busyShare * 100)}% of the time, ${Math.round(l.writeCharsPerSecond / 1024)} KiB of state written a second): ${this.count} wait their turn, most of them from ${busiest.join(', ')}`
      + `${this.lanes.size > busiest.length ? ` and ${this.lanes.size - busiest.length} more scripts` : ''}`,
    );
  }
}
