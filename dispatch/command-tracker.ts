import type { WaitingSend } from './chain-write-bound.js';

/** Counts a command's messages still in flight: the command is done when the
 *  last consequence of the last message has been released. */
export class CommandTracker {
  private open_ = 0;
  private resolve!: () => void;
  readonly done = new Promise<void>((r) => (this.resolve = r));
  /** A message of the chain was found applied already (its first answer lost): it ran, and its lines were not shown. */
  foundApplied = false;
  /** JSON characters of builders' script state the chain's turns wrote (the `wrote` effect): what a script
   *  timer's fire is charged for its writes (script-timer-budget.ts). */
  wroteChars = 0;
  /** What its deliveries to scripts in flight may still write, each counted as the largest state
   *  (chain-write-bound.ts). */
  reservedChars = 0;
  /** Past its bound on script state written: its deliveries to scripts wait for the world's budget. */
  paced = false;
  /** Its deliveries to scripts waiting for those in flight to say what they wrote. */
  waiting: WaitingSend[] | undefined;

  /** `ended`: told at once when the last message closes (no promise reaction on the hot path). */
  constructor(private readonly ended?: (tracker: CommandTracker) => void) {}

  open(): void {
    this.open_ += 1;
  }

  close(): void {
    this.open_ -= 1;
    if (this.open_ === 0) {
      this.resolve();
      this.ended?.(this);
    }
  }
}

/** The chains of messages under way (a command's or a timer's, each with its tracker), so a stop can
 *  wait for their last consequences. */
export class Chains {
  private readonly open = new Set<CommandTracker>();
  private readonly ended = (tracker: CommandTracker): void => void this.open.delete(tracker);

  /** A new chain, counted until its tracker is done. */
  track(): CommandTracker {
    const tracker = new CommandTracker(this.ended);
    this.open.add(tracker);
    return tracker;
  }

  get size(): number {
    return this.open.size;
  }

  /** Resolves true when no chain is under way (chains started meanwhile are waited for too), or false
   *  at `deadlineMs`. */
  async settled(deadlineMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, deadlineMs)));
    const drained = (async () => {
      while (this.open.size > 0) await Promise.all([...this.open].map((t) => t.done));
    })();
    await Promise.race([drained, late]);
    clearTimeout(timer);
    return this.open.size === 0;
  }
}
