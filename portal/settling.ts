/** How long a connection waits for the client to say what it can before text goes out anyway:
 *  a MUD client answers the first negotiation within a round trip; a bare socket never does. */
export const SETTLE_MS = 300;

/** A one-shot gate: settled by the client's answer or by the wait running out, whichever is first. */
export class Settling {
  private release!: () => void;
  readonly done = new Promise<void>((resolve) => (this.release = resolve));
  private readonly timer: NodeJS.Timeout;

  constructor(waitMs = SETTLE_MS) {
    this.timer = setTimeout(() => this.settle(), waitMs);
    this.timer.unref();
  }

  settle(): void {
    clearTimeout(this.timer);
    this.release();
  }
}
