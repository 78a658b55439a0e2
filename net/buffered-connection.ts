/** What every Connection shares whatever carries it: the input handlers, and
 *  output queued during a tick and sent as one write when the tick ends. */
export abstract class BufferedConnection<Chunk> {
  protected closed = false;
  protected lineHandler: (line: string) => void = () => undefined;
  protected problemHandler: (p: 'too-long' | 'invalid-utf8') => void = () => undefined;
  private readonly closeHandlers: Array<() => void> = [];
  private out: Chunk[] = [];
  private scheduled = false;

  onLine(handler: (line: string) => void): void {
    this.lineHandler = handler;
  }

  onProblem(handler: (p: 'too-long' | 'invalid-utf8') => void): void {
    this.problemHandler = handler;
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler);
  }

  /** Sends everything queued now, as one write. */
  protected flush(): void {
    this.scheduled = false;
    if (this.out.length === 0) return;
    const chunks = this.out;
    this.out = [];
    this.send(chunks);
  }

  protected queue(chunk: Chunk): void {
    if (this.closed) return;
    this.out.push(chunk);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  protected abstract send(chunks: Chunk[]): void;

  protected closedByPeer(): void {
    this.closed = true;
    for (const h of this.closeHandlers.splice(0)) h();
  }
}
