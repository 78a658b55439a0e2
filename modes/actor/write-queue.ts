import type { Json, Ref } from '../../world/core/types.js';
import type { StateStore } from '../../store/state-store.js';
import { loopIteration } from '../../support/loop-iteration.js';

/** A turn whose write did not land because an earlier write of the same object
 *  failed: it changed nothing, and the engine delivers it again (same id). */
export class FencedWriteError extends Error {
  override readonly name = 'FencedWriteError';
  constructor(readonly ref: Ref, readonly msgId: string) {
    super(`state of ${ref} changed under its home; turn ${msgId} not applied, to be run again`);
  }
}

interface Waiter {
  msgId: string;
  resolve(): void;
  reject(err: Error): void;
}

/** The writes of one homed object. One compare-and-swap is in flight at a time,
 *  expecting the revision the previous one left; turns computed meanwhile are
 *  folded into the next write (the latest record carries them all: a group
 *  commit). The first write of an object in an event-loop iteration goes at
 *  once (after the current microtasks), so a chain of turns over several
 *  objects (a move: player, room left, room entered) completes in one
 *  iteration; a second write of the same object in the same iteration waits
 *  for the iteration's end, so every further turn the iteration's input ran on
 *  a hot object shares one serialise and one store call (a hot room's record,
 *  occupants and all, is the costly one).
 *  When a write fails, the object's record no longer matches the store: that
 *  write's turns and every write queued behind it are refused, never sent, so
 *  no later write can land on top of someone else's. */
export class WriteQueue {
  /** The revision the last acknowledged write left (or the one read at load). */
  revision = 0;
  private inFlight: Promise<void> | undefined;
  private next: { value: Json; waiters: Waiter[] } | undefined;
  private fenced = false;
  /** The loop iteration of this object's last flush: a second one in it is deferred. */
  private flushedIn = -1;

  constructor(
    private readonly store: StateStore,
    private readonly ref: Ref,
    private readonly onFenced: () => void,
  ) {}

  /** Resolves once a write holding `value` (or a later record) is durable. */
  write(value: Json, msgId: string): Promise<void> {
    if (this.fenced) return Promise.reject(new FencedWriteError(this.ref, msgId));
    return new Promise<void>((resolve, reject) => {
      const waiter = { msgId, resolve, reject };
      if (this.next) {
        this.next.value = value;
        this.next.waiters.push(waiter);
      } else {
        this.next = { value, waiters: [waiter] };
      }
      if (this.inFlight) return;
      const now = loopIteration();
      this.inFlight = this.flushedIn === now ? new Promise<void>((r) => setImmediate(r)).then(() => this.flush()) : Promise.resolve().then(() => this.flush());
    });
  }

  /** Settles once nothing is in flight or queued. */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private flush(): Promise<void> {
    const batch = this.next;
    if (!batch) return Promise.resolve();
    this.next = undefined;
    this.flushedIn = loopIteration();
    return this.store.cas(this.ref, batch.value, this.revision).then(
      (r) => {
        if (r.ok) {
          this.revision = r.revision;
          for (const w of batch.waiters) w.resolve();
        } else {
          this.fence(batch.waiters);
        }
      },
      (err: unknown) => this.fence(batch.waiters, err),
    ).finally(() => {
      // Writes queued while this one was out go at once: they have waited a round trip already.
      this.inFlight = !this.fenced && this.next ? this.flush() : undefined;
    });
  }

  private fence(failed: Waiter[], cause?: unknown): void {
    this.fenced = true;
    const cancelled = this.next?.waiters ?? [];
    this.next = undefined;
    this.onFenced();
    for (const w of [...failed, ...cancelled]) {
      const err = new FencedWriteError(this.ref, w.msgId);
      if (cause !== undefined) err.cause = cause;
      w.reject(err);
    }
  }
}
