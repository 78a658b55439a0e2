/** Request/reply over a MessagePort-like channel (a Worker, a worker's
 *  parentPort), both ways. Outgoing messages are batched: one postMessage per
 *  tick carries everything queued in it, which is what makes thousands of small
 *  turns per second cheap across threads. */
export interface PortLike {
  postMessage(value: unknown): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

type Envelope =
  | { i: number; q: unknown }
  | { i: number; r: unknown }
  | { i: number; e: string };

export class RpcClosedError extends Error {
  override readonly name = 'RpcClosedError';
}

export class PortRpc<Req, Res, InReq = unknown, InRes = unknown> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Res) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }>();
  private outbox: Envelope[] = [];
  private scheduled = false;
  private closedWith: string | undefined;

  constructor(private readonly port: PortLike, private readonly handler: (req: InReq) => Promise<InRes> | InRes) {
    // Anything that is not a batch (a node's ready signal) belongs to someone else.
    port.on('message', (batch) => Array.isArray(batch) && this.receive(batch as Envelope[]));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  request(body: Req, timeoutMs = 0): Promise<Res> {
    if (this.closedWith) return Promise.reject(new RpcClosedError(this.closedWith));
    const i = this.nextId++;
    return new Promise<Res>((resolve, reject) => {
      const entry: { resolve: (v: Res) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout } = { resolve, reject };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(i);
          reject(new Error(`no reply within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.set(i, entry);
      this.post({ i, q: body });
    });
  }

  /** Rejects everything pending: the other side is gone. */
  close(reason: string): void {
    this.closedWith = reason;
    for (const [, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new RpcClosedError(reason));
    }
    this.pending.clear();
  }

  private post(e: Envelope): void {
    this.outbox.push(e);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.closedWith || this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    try {
      this.port.postMessage(batch);
    } catch (err) {
      this.close(`post failed: ${(err as Error).message}`);
    }
  }

  private receive(batch: Envelope[]): void {
    for (const e of batch) {
      if ('q' in e) this.serve(e.i, e.q as InReq);
      else this.settle(e);
    }
  }

  private serve(i: number, body: InReq): void {
    let result: Promise<InRes>;
    try {
      result = Promise.resolve(this.handler(body));
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (r) => this.post({ i, r }),
      (err: unknown) => this.post({ i, e: err instanceof Error ? err.message : String(err) }),
    );
  }

  private settle(e: Envelope): void {
    const p = this.pending.get(e.i);
    if (!p) return; // timed out meanwhile
    this.pending.delete(e.i);
    if (p.timer) clearTimeout(p.timer);
    if ('r' in e) p.resolve(e.r as Res);
    else p.reject(new Error((e as { e: string }).e));
  }
}
