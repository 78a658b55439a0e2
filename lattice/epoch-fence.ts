/** The words a node's refusal starts with; the gateway recognises a stale turn by them
 *  (the refusal crosses NATS or a MessagePort as text). */
const STALE = 'stale epoch';

/** A turn stamped with a mode-table epoch older than one this node has acted on. */
export class StaleEpochError extends Error {
  override readonly name = 'StaleEpochError';
  constructor(readonly stamped: number, readonly current: number, node: string) {
    super(`${STALE} ${stamped}: node ${node} acts on epoch ${current}; refresh the mode table and route again`);
  }
}

/** True when `err` is a node's StaleEpochError, here or after it crossed the wire. */
export function isStaleEpoch(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith(`${STALE} `);
}

/** A node's fence (docs/architecture/live-switch.md, "The live switch across gateways"): the
 *  highest mode-table epoch it has acted on, from turns, releases and joins. A
 *  turn stamped older comes from a gateway that missed a switch (paused,
 *  partitioned): refusing it is what keeps an object from running in two modes
 *  or on two homes at once. Releases are applied once per epoch, however many
 *  gateways send them. Requests without an epoch (the embedded server's
 *  membership releases, older callers) are not fenced. */
export class EpochFence {
  private seen = 0;
  private released = 0;

  constructor(private readonly node: string) {}

  get epoch(): number {
    return this.seen;
  }

  /** Admits a turn stamped `epoch` (raising the fence to it), or throws StaleEpochError. */
  admit(epoch: number | undefined): void {
    if (epoch === undefined) return;
    if (epoch < this.seen) throw new StaleEpochError(epoch, this.seen, this.node);
    this.seen = epoch;
  }

  /** True the first time a release for `epoch` arrives (the fence rises to it); false for a repeat or an older one. */
  releaseOnce(epoch: number | undefined): boolean {
    if (epoch === undefined) return true;
    if (epoch > this.seen) this.seen = epoch;
    if (epoch <= this.released) return false;
    this.released = epoch;
    return true;
  }

  /** A join tells the gateway's epoch: later turns from older epochs are refused. */
  observe(epoch: number | undefined): void {
    if (epoch !== undefined && epoch > this.seen) this.seen = epoch;
  }
}
