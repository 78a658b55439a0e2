/** What a switch cost: the whole pause, and the part spent waiting for the turns
 *  already in flight (under load, nearly all of it: see dispatch/switch-pause.ts). */
export interface SwitchResult {
  pausedMs: number;
  /** Turns that arrived during the pause and ran after it. */
  held: number;
  /** Turns in flight when the switch began, and how long they took to finish. */
  inFlight: number;
  drainMs: number;
}

/** Admits turns, or holds them while a switch runs. A switch waits for the
 *  turns in flight to drain, runs its step, then releases what was held in
 *  arrival order: every held turn runs exactly once, after the switch. */
export class SwitchBarrier {
  private inFlight = 0;
  private held: Array<() => void> = [];
  private holding = false;
  private drained: Array<() => void> = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly maxHeld: number) {}

  /** New commands are refused (politely, upstream) once this many turns wait. */
  get full(): boolean {
    return this.holding && this.held.length >= this.maxHeld;
  }

  get heldCount(): number {
    return this.held.length;
  }

  admit(run: () => void): void {
    if (this.holding) {
      this.held.push(run);
      return;
    }
    this.inFlight += 1;
    run();
  }

  done(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const d of this.drained.splice(0)) d();
  }

  /** Runs `step` with no turn in flight; switches queue behind one another. */
  hold(step: () => Promise<void>, beforeDrain?: () => void): Promise<SwitchResult> {
    const next = this.chain.then(() => this.exclusive(step, beforeDrain));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async exclusive(step: () => Promise<void>, beforeDrain?: () => void): Promise<SwitchResult> {
    const started = performance.now();
    this.holding = true;
    beforeDrain?.();
    const inFlight = this.inFlight;
    let drainMs = 0;
    let held: Array<() => void> = [];
    try {
      if (this.inFlight > 0) await new Promise<void>((r) => this.drained.push(r));
      drainMs = performance.now() - started;
      await step();
    } finally {
      this.holding = false;
      held = this.held.splice(0);
      for (const run of held) this.admit(run);
    }
    return { pausedMs: performance.now() - started, held: held.length, inFlight, drainMs };
  }
}
