import type { Ref } from '../world/core/types.js';
import type { Logger } from '../support/logger.js';
import type { StateStore } from '../store/state-store.js';
import type { GatewayEvent, Gateways } from './gateways.js';
import type { GatewayRequests } from './gateway-bus.js';
import { HEARTBEAT_EVERY_MS } from '../nats/nats-wire.js';
import type { TimerQueue } from '../dispatch/timer-queue.js';
import { restoreTimers } from '../dispatch/timer-restore.js';
import { retryUntilDone } from '../support/retry-until-done.js';

/** `[ref, id, due]`: a timer as it crosses to its owner (the message stays in the record). */
type TimerEntry = [Ref, string, number];

/** A second look after a gateway died: a gateway that had not yet noticed the death may have sent it a timer meanwhile. */
const SECOND_LOOK_MS = HEARTBEAT_EVERY_MS * 2;

/** Timers over several gateways. Each object's timers are fired by one gateway,
 *  the live gateway rendezvous hashing names for the object's ref: a timer
 *  committed by a turn another gateway dispatched is handed to its owner, batched
 *  per owner once per tick (one message told to it, `timers`). Nothing
 *  is acknowledged because nothing needs to be: the record is the truth. When a
 *  gateway dies, each survivor scans the records for every timer it owns now:
 *  those it owns in the dead one's place, and its own, since the dead one may
 *  have died holding some it had not yet handed over (a turn it dispatched set
 *  them); the queue skips those it already holds. It scans twice: at once, and
 *  after the others have surely noticed the death too, to catch timers handed
 *  over in between. A gateway that
 *  joins takes the timers set after it joined, while the old owners fire those
 *  they already hold. A timer delivered by two gateways runs once (its turn takes
 *  it out of the record), so every uncertainty here is resolved towards "more
 *  than once", never "lost". */
export class ClusterTimers {
  private readonly outbox = new Map<string, TimerEntry[]>();
  private flushing = false;
  private unhear: (() => void) | undefined;
  private unwatch: (() => void) | undefined;
  private readonly lookups = new Set<NodeJS.Timeout>();
  private readonly closing = new AbortController();
  handedOver = 0;
  received = 0;

  constructor(private readonly o: { mail: GatewayRequests; gateways: Gateways; store: StateStore; queue: TimerQueue; log: Logger }) {}

  /** Listens for timers handed to this gateway, and takes over those of gateways that die. */
  start(): void {
    this.unhear = this.o.mail.hear('timers', (batch) => this.take(batch));
    this.unwatch = this.o.gateways.onChange((e) => this.changed(e));
  }

  /** The timers this gateway owns, from the records (at start). */
  restore(): Promise<number> {
    return restoreTimers(this.o.store, this.o.queue, (ref) => this.o.gateways.owner(ref) === this.o.gateways.id);
  }

  /** A committed timer: into this gateway's queue, or on its way to its owner's. */
  place(ref: Ref, id: string, due: number): void {
    const owner = this.o.gateways.owner(ref);
    if (owner === this.o.gateways.id) {
      this.o.queue.add(ref, id, due);
      return;
    }
    let batch = this.outbox.get(owner);
    if (!batch) this.outbox.set(owner, (batch = []));
    batch.push([ref, id, due]);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
  }

  close(): void {
    this.flush();
    this.unhear?.();
    this.unwatch?.();
    for (const t of this.lookups) clearTimeout(t);
    this.closing.abort();
  }

  private flush(): void {
    this.flushing = false;
    for (const [owner, batch] of this.outbox) {
      this.o.mail.tell(owner, 'timers', batch);
      this.handedOver += batch.length;
    }
    this.outbox.clear();
  }

  private take(batch: unknown): void {
    if (!Array.isArray(batch)) return;
    for (const t of batch as unknown[]) {
      if (Array.isArray(t) && typeof t[0] === 'string' && typeof t[1] === 'string' && typeof t[2] === 'number') {
        this.o.queue.add(t[0], t[1], t[2]);
        this.received += 1;
      }
    }
  }

  private changed(e: GatewayEvent): void {
    if (e.type !== 'left') return;
    const dead = e.gateway;
    void this.takeOver(dead);
    const later = setTimeout(() => {
      this.lookups.delete(later);
      void this.takeOver(dead);
    }, SECOND_LOOK_MS);
    later.unref();
    this.lookups.add(later);
  }

  /** Every timer that hashes to this gateway now: the dead one's, and this one's own that the dead one had
   *  not handed over yet (held in its `outbox` when it died: the record has them, no queue does). The store may
   *  be out of reach for a while (the cut that made the gateway leave, a JetStream election): tried until done,
   *  or until this one closes. */
  private async takeOver(dead: string): Promise<void> {
    const self = this.o.gateways.id;
    const n = await retryUntilDone(() => restoreTimers(this.o.store, this.o.queue, (ref) => this.o.gateways.owner(ref) === self), {
      signal: this.closing.signal,
      onFailure: (err, attempt, nextMs) => this.o.log.warn('timer takeover failed', { from: dead, attempt, why: (err as Error).message, retryInMs: nextMs }),
    }).catch(() => 0); // closed: the next gateway start restores them
    if (n) this.o.log.info('timers taken over', { from: dead, timers: n });
  }
}
