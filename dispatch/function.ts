import type { Effect, Msg, Ref } from '../world/types.js';
import type { Dispatcher, LoadedWorld } from './dispatcher.js';
import type { NodePool } from './node-pool.js';
import type { TurnMeter } from './turn-meter.js';
import { ContentionGate } from './contention-gate.js';

export type FunctionPick = 'least-loaded' | 'round-robin';

/** Stateless functions: any node runs the turn, reading the object's state
 *  from the store and writing it back with compare-and-swap. The node is the
 *  least loaded one (fewest turns in flight from here), or the next in turn;
 *  over NATS a queue group does the balancing. */
export class FunctionDispatcher implements Dispatcher {
  readonly mode = 'function' as const;
  private next = 0;
  private readonly gate = new ContentionGate();

  constructor(private readonly pool: NodePool, private readonly meter: TurnMeter, private readonly pick: FunctionPick = 'least-loaded', private readonly timeoutMs = 60_000) {}

  async run(ref: Ref, msg: Msg): Promise<Effect[]> {
    await this.gate.enter(ref); // may throw RerouteError: the turn has not started
    let conflicts = 1; // a turn that fails counts as contention: the window shrinks
    try {
      const req = { t: 'turn' as const, mode: 'function' as const, ref, msg, config: { shardCapacity: 0 } };
      const started = performance.now();
      const any = this.pool.lattice.requestAny;
      const node = any ? 'queue' : this.choose();
      const reply = any ? await any.call(this.pool.lattice, req, this.timeoutMs) : await this.pool.request(node, req, this.timeoutMs);
      if (reply.t !== 'effects') throw new Error(`unexpected reply ${reply.t}`);
      conflicts = reply.conflicts;
      if (reply.conflicts > 0) this.meter.conflict(ref, reply.conflicts);
      this.meter.turn(node, ref, (performance.now() - started) * 1000);
      return reply.effects;
    } finally {
      this.gate.leave(ref, conflicts);
    }
  }

  yieldQueued(): number {
    return this.gate.cancelWaiting();
  }

  /** Turns of the object waiting for their turn at the gate. */
  mailboxDepth(ref: Ref): number {
    return this.gate.waiting(ref);
  }

  private choose(): string {
    const nodes = this.pool.nodes();
    if (nodes.length === 0) throw new Error('no node is running to run functions');
    const start = this.next++ % nodes.length;
    if (this.pick === 'round-robin') return nodes[start];
    // Least loaded, ties broken by rotation so a light load still spreads.
    let best = nodes[start];
    for (let i = 1; i < nodes.length; i++) {
      const n = nodes[(start + i) % nodes.length];
      if (this.pool.outstanding(n) < this.pool.outstanding(best)) best = n;
    }
    return best;
  }

  async release(): Promise<void> {}

  setWorld(world: LoadedWorld): Promise<void> {
    return this.pool.setWorld(world);
  }

  async close(): Promise<void> {}
}
