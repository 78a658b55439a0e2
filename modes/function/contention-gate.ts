import type { Ref } from '../../world/core/types.js';
import { RerouteError } from '../../dispatch/reroute-error.js';

const START_LIMIT = 8;
const MAX_LIMIT = 64;

interface Gate {
  inFlight: number;
  /** How many turns of this object may run at once: halves on a conflict, grows by one on a clean commit. */
  limit: number;
  waiting: Array<{ go: () => void; cancel: (err: Error) => void }>;
}


/** Function mode's backpressure per object. Optimistic concurrency collapses
 *  when many nodes race to CAS the same hot object (each commit wastes every
 *  other attempt), so the turns of one object in flight at once follow AIMD,
 *  as TCP's congestion window does: conflicts halve the window, clean commits
 *  widen it. Read-only turns never conflict, so a hot room that is mostly
 *  looked at still spreads over all nodes; a hot room that is written queues
 *  here, at the gateway, instead of livelocking on the store. */
export class ContentionGate {
  private readonly gates = new Map<Ref, Gate>();

  /** Resolves when the object has room for one more turn. */
  enter(ref: Ref): Promise<void> | undefined {
    let g = this.gates.get(ref);
    if (!g) this.gates.set(ref, (g = { inFlight: 0, limit: START_LIMIT, waiting: [] }));
    if (g.inFlight < Math.floor(g.limit)) {
      g.inFlight += 1;
      return undefined;
    }
    return new Promise<void>((resolve, reject) => g.waiting.push({
      go: () => {
        g.inFlight += 1;
        resolve();
      },
      cancel: reject,
    }));
  }

  /** A turn finished: `conflicts` is how many times it lost a CAS race;
   *  `ceiling`, the most the window may grow to after it (a written object's
   *  batches pipelined on one node: modes/function/gateway-commits.ts). */
  leave(ref: Ref, conflicts: number, ceiling = MAX_LIMIT): void {
    const g = this.gates.get(ref);
    if (!g) return;
    g.inFlight -= 1;
    // Additive increase per window, not per turn (TCP's 1/cwnd per ack): reads never
    // conflict, and must not reopen the gate for the writers all at once.
    g.limit = conflicts > 0 ? Math.max(1, g.limit / 2) : Math.min(ceiling, g.limit + 1 / g.limit);
    while (g.inFlight < Math.floor(g.limit) && g.waiting.length) g.waiting.shift()!.go();
    if (g.inFlight === 0 && g.waiting.length === 0 && g.limit >= START_LIMIT) this.gates.delete(ref);
  }

  /** Sends every turn that has not started back (a live switch must not wait
   *  for a hot object's backlog: those turns run after it, in their new mode). */
  cancelWaiting(): number {
    let n = 0;
    for (const [ref, g] of this.gates) {
      for (const w of g.waiting.splice(0)) {
        w.cancel(new RerouteError(`turn of ${ref} rerouted by a live switch`));
        n += 1;
      }
      if (g.inFlight === 0) this.gates.delete(ref);
    }
    return n;
  }

  /** Turns of this object waiting at the gate: function mode's "mailbox". */
  waiting(ref: Ref): number {
    return this.gates.get(ref)?.waiting.length ?? 0;
  }

  limit(ref: Ref): number {
    return Math.floor(this.gates.get(ref)?.limit ?? START_LIMIT);
  }
}
