import type { Msg, Ref } from '../world/core/types.js';
import type { CommandTracker } from './command-tracker.js';
import { MAX_STATE_CHARS } from '../world/scripts/script-effects.js';

// One chain of turns (a command, or a timer's fire, with every turn it caused) may
// write so much builders' script state, and no more at once: past it, its further
// deliveries to objects that run a script wait for the world's budget for script
// timers (script-timer-budget.ts) and are charged to it, each as a chain of its own.
// A room's script sending `wake` to sixty stones that each built a 64 KiB state
// wrote 3.8 MB within 170 ms of one `say`, ten young collections and a full one
// on the gateway, and held every other player's command of that moment for up to
// 160 ms (docs/BENCHMARKS.md, "Attacks, round two"); a creature's hook answering
// a room's `overhear` is the same fan-out with no script sending anything. The
// deliveries are deferred, never dropped: their senders' turns are committed,
// so each is delivered once, later, like a retry waiting its time.
//
// A turn's size is known only once it has run, and a fan-out sends all its
// messages at once: so each delivery to a script counts as the largest state
// there may be (MAX_STATE_CHARS) while it is in flight, and what it wrote once it
// ended. Deliveries whose worst case would take the chain past the bound wait for
// those in flight; a chain that has written so much that the next cannot fit even
// alone is past it. A command of the default world writes a few kilobytes at most.
//
// An object with deliveries deferred gets its later ones, from any chain, behind them:
// so it still gets one sender's messages in the order they were sent, as without the
// bound. Before, a `calm` said after `storm` reached the stones not yet woken before
// their deferred `wake`, which then set them storming for good, and the stones went on
// writing at the budget's pace long after the storm was called off (docs/BENCHMARKS.md,
// "Attacks, round two"); now each such stone is woken, then calmed, and the tail ends.

/** What one chain's script turns may write, as JSON characters of script state. */
export const CHAIN_WRITE_CHARS = 256 * 1024;

/** A delivery to a script waiting for its chain's turns in flight to say what they wrote. */
export interface WaitingSend {
  from: Ref;
  to: Ref;
  msg: Msg;
}

export interface ChainWriteHost {
  /** Whether the object runs a builder's script (its turns may write script state). */
  scripted(ref: Ref): boolean;
  /** The script an object belongs to, for the builder's log. */
  scriptOf(ref: Ref): string;
  /** Delivers in the chain now; a `reserved` delivery's end calls `settled(chain)`. */
  deliver(to: Ref, msg: Msg, chain: CommandTracker, reserved: boolean): void;
  /** A new chain, counted until it is done (a stop waits for it). */
  track(): CommandTracker;
  /** Waits for the world's budget for script timers, in the lane of `to`'s script: `run` when its turn comes. */
  wait(to: Ref, run: () => Promise<number>): void;
  /** The builder's log. */
  warn(text: string): void;
}

export class ChainWriteBound {
  private warnedAt = -Infinity;
  /** Deliveries deferred to each object and not yet on their way: what else comes for it waits behind them. */
  private readonly deferredTo = new Map<Ref, number>();

  constructor(
    private readonly host: ChainWriteHost,
    private readonly bound = CHAIN_WRITE_CHARS,
    private readonly clock: () => number = () => performance.now(),
    private readonly warnEveryMs = 60_000,
  ) {}

  /** A turn of `from` in `chain` sends `msg` to `to`. In the order sent, per chain: none overtakes another. */
  send(from: Ref, to: Ref, msg: Msg, chain: CommandTracker): void {
    if (!this.host.scripted(to)) return this.host.deliver(to, msg, chain, false);
    if (chain.waiting === undefined && !chain.paced && !this.deferredTo.has(to) && this.fits(chain)) {
      chain.reservedChars += MAX_STATE_CHARS;
      return this.host.deliver(to, msg, chain, true);
    }
    (chain.waiting ??= []).push({ from, to, msg });
    this.pump(chain);
  }

  /** A reserved delivery's try ended (its answer released: what it wrote is in `wroteChars`, its sends
   *  are waiting here or on their way). Called before the chain counts the try as closed. */
  settled(chain: CommandTracker): void {
    chain.reservedChars -= MAX_STATE_CHARS;
    if (chain.waiting) this.pump(chain);
  }

  private fits(chain: CommandTracker): boolean {
    return chain.wroteChars + chain.reservedChars + MAX_STATE_CHARS <= this.bound;
  }

  private pump(chain: CommandTracker): void {
    const waiting = chain.waiting!;
    let i = 0;
    while (i < waiting.length && !chain.paced) {
      if (this.deferredTo.has(waiting[i].to)) {
        const w = waiting[i++];
        this.defer(w.to, w.msg); // behind those deferred to it already, not charged to this chain
      } else if (this.fits(chain)) {
        chain.reservedChars += MAX_STATE_CHARS;
        const w = waiting[i++];
        this.host.deliver(w.to, w.msg, chain, true);
      } else if (chain.reservedChars > 0) break; // one in flight settles it: the chain stays open meanwhile
      else {
        chain.paced = true;
        this.tellBuilder(chain, waiting[i], waiting.length - i);
      }
    }
    if (chain.paced) for (; i < waiting.length; i++) this.defer(waiting[i].to, waiting[i].msg);
    if (i === waiting.length) chain.waiting = undefined;
    else waiting.splice(0, i);
  }

  /** A delivery past its chain's bound: a chain of its own, open while it waits (so a stop waits for it) and past
   *  the bound from the start (what its turn sends to scripts waits too), charged to the world's budget for
   *  what its turn wrote. */
  private defer(to: Ref, msg: Msg): void {
    this.deferredTo.set(to, (this.deferredTo.get(to) ?? 0) + 1);
    const chain = this.host.track();
    chain.paced = true;
    chain.open();
    this.host.wait(to, () => {
      const left = this.deferredTo.get(to)! - 1;
      if (left > 0) this.deferredTo.set(to, left);
      else this.deferredTo.delete(to);
      this.host.deliver(to, msg, chain, false);
      chain.close();
      return chain.done.then(() => chain.wroteChars);
    });
  }

  /** At most once a `warnEveryMs`: the chain, what it wrote, and the first delivery deferred. */
  private tellBuilder(chain: CommandTracker, first: WaitingSend, count: number): void {
    const now = this.clock();
    if (now - this.warnedAt < this.warnEveryMs) return;
    this.warnedAt = now;
    this.host.warn(
      `script turns of one command or timer wrote ${Math.round(chain.wroteChars / 1024)} KiB of state, and may write `
      + `${Math.round(this.bound / 1024)} KiB (a turn in flight counts as ${Math.round(MAX_STATE_CHARS / 1024)} KiB): its further `
      + `deliveries to scripts wait for the world's budget for script timers (${count} now, the first '${first.msg.type}' `
      + `from ${first.from} to ${first.to}, ${this.host.scriptOf(first.to)})`,
    );
  }
}
