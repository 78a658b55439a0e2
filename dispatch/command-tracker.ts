/** Counts a command's messages still in flight: the command is done when the
 *  last consequence of the last message has been released. */
export class CommandTracker {
  private open_ = 0;
  private resolve!: () => void;
  readonly done = new Promise<void>((r) => (this.resolve = r));

  open(): void {
    this.open_ += 1;
  }

  close(): void {
    this.open_ -= 1;
    if (this.open_ === 0) this.resolve();
  }
}
