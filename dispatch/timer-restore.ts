import type { StateStore } from '../store/state-store.js';
import { timersOf } from '../world/core/timers.js';
import type { TimerQueue } from './timer-queue.js';

/** Object kinds whose records may hold timers. */
const PREFIXES = ['room/', 'item/', 'player/'];

/** Rebuilds the timer queue from the records at start: the records are the
 *  durable index, so a gateway killed with timers pending loses none of them.
 *  One scan of the store at start, nothing per turn; timers overdue by then
 *  fire at once (their lag shows how long the server was down). With several
 *  gateways, `mine` keeps the timers this gateway owns (cluster/cluster-timers.ts). Counts
 *  the timers it queued: those the queue already held are not counted again. */
export async function restoreTimers(store: StateStore, queue: TimerQueue, mine: (ref: string) => boolean = () => true): Promise<number> {
  let n = 0;
  for (const prefix of PREFIXES) {
    for (const entry of await store.scan(prefix)) {
      if (!mine(entry.key)) continue;
      for (const { id, due } of timersOf(entry.value)) if (queue.add(entry.key, id, due)) n += 1;
    }
  }
  return n;
}
