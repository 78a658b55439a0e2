import type { Effect, Msg, Ref } from '../world/types.js';
import type { Dispatcher, LoadedWorld } from './dispatcher.js';
import type { NodePool } from './node-pool.js';
import type { TurnMeter } from './turn-meter.js';
import { ContentionGate } from './contention-gate.js';
import { TurnBatch } from './turn-batch.js';
import type { NodeRequest } from '../cluster/lattice.js';

export type FunctionPick = 'least-loaded' | 'round-robin';

/** Stateless functions: any node runs the turn, reading the object's state
 *  from the store and writing it back with compare-and-swap. Turns of one
 *  object that queue at its contention gate go on together as a batch. The node is the
 *  least loaded one (fewest turns in flight from here), or the next in turn;
 *  over NATS a queue group does the balancing. */
export class FunctionDispatcher implements Dispatcher {
  readonly mode = 'function' as const;
  private next = 0;
  private readonly gate = new ContentionGate();
  /** Per object, the newest batch still waiting at the gate, which later turns join. */
  private readonly open = new Map<Ref, TurnBatch>();

  constructor(private readonly pool: NodePool, private readonly meter: TurnMeter, private readonly pick: FunctionPick = 'least-loaded', private readonly timeoutMs = 60_000) {}

  run(ref: Ref, msg: Msg): Promise<Effect[]> {
    // Turns queued at the gate join the object's open batch: they leave together.
    const open = this.open.get(ref);
    if (open && !open.full) return open.add(msg);
    const batch = new TurnBatch();
    const effects = batch.add(msg);
    const entered = this.gate.enter(ref);
    if (!entered) {
      void this.send(ref, batch);
      return effects;
    }
    this.open.set(ref, batch);
    entered.then(
      () => {
        this.leaveQueue(ref, batch);
        void this.send(ref, batch);
      },
      (err: unknown) => { // RerouteError: the turns have not started
        this.leaveQueue(ref, batch);
        batch.fail(err);
      },
    );
    return effects;
  }

  private leaveQueue(ref: Ref, batch: TurnBatch): void {
    if (this.open.get(ref) === batch) this.open.delete(ref);
  }

  /** Runs a batch that is through the gate: one turn as a `turn`, more as `turns`. */
  private async send(ref: Ref, batch: TurnBatch): Promise<void> {
    let conflicts = 1; // a turn that fails counts as contention: the window shrinks
    try {
      const msgs = batch.msgs;
      const config = { shardCapacity: 0 };
      const epoch = this.pool.epoch;
      const req: NodeRequest = msgs.length === 1 ? { t: 'turn', mode: 'function', ref, msg: msgs[0], config, epoch } : { t: 'turns', ref, msgs, config, epoch };
      const started = performance.now();
      const any = this.pool.lattice.requestAny;
      const node = any ? 'queue' : this.choose();
      const reply = any ? await any.call(this.pool.lattice, req, this.timeoutMs) : await this.pool.request(node, req, this.timeoutMs);
      if (reply.t !== 'effects' && reply.t !== 'batch') throw new Error(`unexpected reply ${reply.t}`);
      conflicts = reply.conflicts;
      if (reply.conflicts > 0) this.meter.conflict(ref, reply.conflicts);
      const micros = (performance.now() - started) * 1000;
      for (let i = 0; i < msgs.length; i++) this.meter.turn(node, ref, micros);
      batch.settle(reply.t === 'effects' ? [{ effects: reply.effects }] : reply.results);
    } catch (err) {
      batch.fail(err);
    } finally {
      this.gate.leave(ref, conflicts);
    }
  }

  yieldQueued(): number {
    return this.gate.cancelWaiting();
  }

  /** Turns of the object waiting at the gate, about: waiting batches, plus the open one's joiners. */
  mailboxDepth(ref: Ref): number {
    return this.gate.waiting(ref) + Math.max(0, (this.open.get(ref)?.msgs.length ?? 1) - 1);
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

  stampEpoch(epoch: number): void {
    this.pool.setEpoch(epoch);
  }

  async release(): Promise<void> {}

  setWorld(world: LoadedWorld): Promise<void> {
    return this.pool.setWorld(world);
  }

  async close(): Promise<void> {}
}
