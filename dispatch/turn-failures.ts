import type { Msg, Ref } from '../world/core/types.js';
import type { Logger } from '../support/logger.js';
import type { Outlet } from './outlet.js';
import type { CommandTracker } from './command-tracker.js';
import { RerouteError } from './reroute-error.js';
import { isStaleEpoch } from '../lattice/epoch-fence.js';
import { TIMER_MSG } from '../world/core/timers.js';
import { APPLIED_AGAIN_LINE } from '../world/core/applied-again.js';
import { TurnRetries } from './turn-retries.js';
import type { Deliveries } from './deliveries.js';

/** A timer whose turn failed is tried again this much later (it is still pending in its record). */
const TIMER_RETRY_MS = 5_000;
/** How long a timer given up on stays open in this engine's word at most: its next fire here is due in
 *  TIMER_RETRY_MS, later when the world's budget for script timers makes it wait; past this it went elsewhere. */
const TIMER_OPEN_MS = 120_000;

/** What a failed turn's handling needs of the engine (dispatch/engine.ts). */
export interface FailureHost {
  deliver(ref: Ref, msg: Msg, tracker: CommandTracker, attempt: number, mustLand: boolean): void;
  /** A new chain of messages, counted until its last consequence is done. */
  track(): CommandTracker;
  /** The messages waited on: one tried again later is still waited on meanwhile. */
  readonly deliveries: Deliveries;
  /** Adopts the cluster's mode table if it is newer than this gateway's; says whether it was. */
  refresh(): Promise<boolean>;
  /** Puts a timer back in this gateway's queue. */
  timerDue(ref: Ref, id: string, due: number): void;
  readonly outlet: Outlet;
  readonly log: Logger;
}

/** A turn that could not run (a node died, the store hiccuped, a node acted on a newer table): routed again,
 *  tried again with the same message id (so it is applied at most once), given up and settled, or, for a
 *  message that must land, tried until it does (dispatch/turn-retries.ts, or until the engine stops). */
export class TurnFailures {
  private readonly retries = new TurnRetries();

  constructor(private readonly host: FailureHost) {}

  /** After the last try the player is told, never left waiting; a timer is tried again later. */
  failed(ref: Ref, msg: Msg, tracker: CommandTracker, attempt: number, mustLand: boolean, err: unknown): void {
    if (err instanceof RerouteError) return this.host.deliver(ref, msg, tracker, attempt, mustLand); // not started: route it again
    if (isStaleEpoch(err)) return this.rerouteStale(ref, msg, tracker, attempt, mustLand, err);
    const why = err instanceof Error ? err.message : String(err);
    const again = (): void => {
      this.host.deliver(ref, msg, tracker, attempt + 1, mustLand);
      this.host.deliveries.done(ref, msg.id);
      tracker.close();
    };
    if (this.retries.later(attempt, mustLand, again)) {
      this.host.log.warn('turn retry', { ref, type: msg.type, id: msg.id, attempt: attempt + 1, why });
      this.host.deliveries.wait(ref, msg.id);
      tracker.open();
      return;
    }
    const settling = !mustLand && !!msg.actor && !msg.settle;
    this.host.log.error('turn failed', { ref, type: msg.type, id: msg.id, why, ...(mustLand ? { carried: JSON.stringify(msg) } : {}), ...(settling ? { then: 'settling' } : {}) });
    // The timer is still in its record: try it again later rather than forget it until a restart. Its last try may
    // have applied all the same (a write that landed, its answer lost): its id stays open in this engine's word
    // meanwhile, so the home holds that outbox entry for the next fire to find rather than run it again.
    if (msg.type === TIMER_MSG) {
      this.host.deliveries.waitForNextTry(ref, msg.id, Date.now() + TIMER_OPEN_MS);
      this.host.timerDue(ref, msg.id, Date.now() + TIMER_RETRY_MS);
    }
    if (msg.actor) this.host.outlet.tell(msg.actor, 'The world shudders and your action is lost in it. Please try again.');
    if (settling) this.settle(ref, msg);
  }

  /** Drops the turns waiting to be tried again, and schedules no more (the process is stopping). */
  stop(): void {
    this.retries.stop();
  }

  /** A player's message given up on may have run all the same (a try whose write landed and whose answer was
   *  lost, the tries after it failing while the store elected a leader): what its turn put in its outbox (an
   *  item dropped, on its way to the room) would be held by no one. Tried until it lands, marked to run only
   *  if it ran (Msg.settle): then its outbox is delivered, and the player told it went through after all. */
  private settle(ref: Ref, msg: Msg): void {
    const tracker = this.host.track();
    this.host.deliver(ref, { ...msg, settle: true }, tracker, 0, true);
    void tracker.done.then(() => {
      this.host.log.info('turn settled', { ref, type: msg.type, id: msg.id, ran: tracker.foundApplied });
      if (tracker.foundApplied) this.host.outlet.tell(msg.actor!, APPLIED_AGAIN_LINE);
    });
  }

  /** A node refused the turn: it has acted on a newer mode table than this gateway (one
   *  that missed a switch while paused or cut off). Adopt the cluster's table, then route
   *  the same message again: not a failed try, and its id keeps it from applying twice. */
  private rerouteStale(ref: Ref, msg: Msg, tracker: CommandTracker, attempt: number, mustLand: boolean, err: unknown): void {
    tracker.open();
    this.host.deliveries.wait(ref, msg.id);
    this.host.refresh().then(
      (moved) => (moved ? this.host.deliver(ref, msg, tracker, attempt, mustLand) : this.failed(ref, msg, tracker, attempt, mustLand, new Error(`refused by a node as stale, and the cluster has no newer table (${(err as Error).message})`))),
      (why: unknown) => this.failed(ref, msg, tracker, attempt, mustLand, why),
    ).finally(() => {
      this.host.deliveries.done(ref, msg.id);
      tracker.close();
    });
  }
}
