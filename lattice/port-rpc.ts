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
  /** A one-way notice: handled like a request, never answered (kept in order with the requests). */
  | { n: unknown }
  | { i: number; r: unknown }
  | { i: number; e: string };

interface Pending<Res> {
  resolve: (v: Res) => void;
  reject: (e: Error) => void;
  /** 0 = no deadline. */
  deadline: number;
  timeoutMs: number;
}

/** How often deadlines are checked: timeouts fire up to this late. */
const SWEEP_MS = 250;

export class RpcClosedError extends Error {
  override readonly name = 'RpcClosedError';
}

/** No reply came within the request's deadline. */
export class RpcTimeoutError extends Error {
  override readonly name = 'RpcTimeoutError';
}

export class PortRpc<Req, Res, InReq = unknown, InRes = unknown> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<Res>>();
  /** One sweep for all deadlines: a timer per request costs more than the request. */
  private sweeper: NodeJS.Timeout | undefined;
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
      this.pending.set(i, { resolve, reject, deadline: timeoutMs > 0 ? Date.now() + timeoutMs : 0, timeoutMs });
      if (timeoutMs > 0) this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
      this.post({ i, q: body });
    });
  }

  /** One way: the other side's handler gets `body` in order with the requests, and nothing comes back. */
  notify(body: Req): void {
    if (!this.closedWith) this.post({ n: body });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [i, p] of this.pending) {
      if (p.deadline === 0 || p.deadline > now) continue;
      this.pending.delete(i);
      p.reject(new RpcTimeoutError(`no reply within ${p.timeoutMs} ms`));
    }
  }

  /** Rejects everything pending: the other side is gone. */
  close(reason: string): void {
    this.closedWith = reason;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const [, p] of this.pending) p.reject(new RpcClosedError(reason));
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
      if ('n' in e) this.serve(0, e.n as InReq);
      else if ('q' in e) this.serve(e.i, e.q as InReq);
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
    if (i === 0) {
      result.catch(() => undefined); // a notice's handler reports its own failures
      return;
    }
    result.then(
      (r) => this.post({ i, r }),
      (err: unknown) => this.post({ i, e: err instanceof Error ? err.message : String(err) }),
    );
  }

  private settle(e: Exclude<Envelope, { n: unknown } | { q: unknown }>): void {
    const p = this.pending.get(e.i);
    if (!p) return; // timed out meanwhile
    this.pending.delete(e.i);
    // An answer of undefined has no `r` once it crossed as JSON (a process's IPC channel).
    if ('e' in e) p.reject(new Error(e.e));
    else p.resolve((e as { r?: unknown }).r as Res);
  }
}
