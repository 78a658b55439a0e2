import type { Effect, Msg, Ref } from '../../world/core/types.js';
import type { Dispatcher, LoadedWorld } from '../../dispatch/dispatcher.js';
import type { NodePool } from '../node-pool.js';
import type { TurnMeter } from '../../dispatch/turn-meter.js';
import { ContentionGate } from './contention-gate.js';
import { TurnBatch } from './turn-batch.js';
import { GatewayCommits } from './gateway-commits.js';
import { hasJsonText } from '../../store/state-store.js';
import type { NodeRequest } from '../../lattice/lattice.js';
import { functionReply, functionRequest, type BatchResult } from './function-requests.js';

export type FunctionPick = 'least-loaded' | 'round-robin';

/** Batches of a written object in flight at once when the gateway commits them:
 *  one computing, the next chained behind it on the same node. More would only
 *  make the batches smaller (each pays a record's serialisation, a commit and an
 *  output flush to every socket in the room); fewer would leave the node idle
 *  during each round trip. Read-only objects keep the gate's whole window. */
const WRITTEN_WINDOW = 2;

/** Stateless functions: any node runs the turn, reading the object's state
 *  from the store and writing it back with compare-and-swap (embedded nodes:
 *  the state shipped with the turns and the CAS made here, modes/function/gateway-commits.ts).
 *  Turns of one object that queue at its contention gate go on together as a
 *  batch. The node is the least loaded one (fewest turns in flight from here;
 *  ties to the node that keeps the object's record), or the next in turn;
 *  over NATS a queue group does the balancing. */
export class FunctionDispatcher implements Dispatcher {
  readonly mode = 'function' as const;
  private next = 0;
  private readonly gate = new ContentionGate();
  /** Per object, the newest batch still waiting at the gate, which later turns join. */
  private readonly open = new Map<Ref, TurnBatch>();
  /** Batches shipped with their record and committed here, when the store is in this process and its
   *  revisions step by one (embedded nodes); else nodes read and commit themselves. */
  private readonly commits: GatewayCommits | undefined;

  constructor(
    private readonly pool: NodePool, private readonly meter: TurnMeter, private readonly pick: FunctionPick = 'least-loaded',
    /** Whether turns build out-of-band data (TurnConfig.clientData). */
    private readonly clientData: () => boolean = () => true,
    /** Whether commits replay turns that commute instead of running them again (TurnConfig.merge; `mud serve --no-merge`). */
    private readonly merge = true, private readonly timeoutMs = 60_000,
  ) {
    const local = pool.lattice.localStore;
    if (local && hasJsonText(local.store) && local.store.revisionsStepByOne) {
      this.commits = new GatewayCommits(local.store, async (node, req, ms) => functionReply(await local.compute(node, functionRequest(req, req.epoch), ms)), local.nodesKeepRecords);
      // What a node that left kept is gone with it.
      pool.lattice.onMembership((e) => {
        if (e.type === 'left') this.commits?.forget(e.node);
      });
    }
  }

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
    let ceiling: number | undefined;
    try {
      const msgs = batch.msgs;
      const started = performance.now();
      const { node, results, conflicts: lost, wrote } = await this.runOnNode(ref, msgs);
      conflicts = lost;
      if (wrote) ceiling = WRITTEN_WINDOW;
      if (lost > 0) this.meter.conflict(ref, lost);
      const micros = (performance.now() - started) * 1000;
      for (let i = 0; i < msgs.length; i++) this.meter.turn(node, ref, micros);
      batch.settle(results);
    } catch (err) {
      batch.fail(err);
    } finally {
      this.gate.leave(ref, conflicts, ceiling);
    }
  }

  /** The batch on a node: shipped with its record and committed here when the
   *  store is in this process (modes/function/gateway-commits.ts), else read and
   *  committed by the node itself. */
  private async runOnNode(ref: Ref, msgs: Msg[]): Promise<{ node: string; results: BatchResult[]; conflicts: number; wrote?: boolean }> {
    const config = { shardCapacity: 0, clientData: this.clientData(), merge: this.merge };
    const epoch = this.pool.epoch;
    const commits = this.commits;
    if (commits) {
      const preferred = commits.preferred(ref);
      const node = preferred?.chained && this.pool.nodes().includes(preferred.node) ? preferred.node : this.choose(preferred?.node);
      return { node, ...(await this.pool.counted(node, () => commits.run(node, ref, msgs, config, epoch, this.timeoutMs))) };
    }
    const req: NodeRequest = msgs.length === 1 ? { t: 'turn', mode: 'function', ref, msg: msgs[0], config, epoch } : functionRequest({ t: 'turns', ref, msgs, config }, epoch);
    const any = this.pool.lattice.requestAny;
    const node = any ? 'queue' : this.choose();
    const reply = any ? await any.call(this.pool.lattice, req, this.timeoutMs) : await this.pool.request(node, req, this.timeoutMs);
    if (reply.t === 'effects') return { node, results: [{ effects: reply.effects }], conflicts: reply.conflicts };
    const batch = functionReply(reply);
    if (batch.t !== 'batch') throw new Error(`unexpected reply ${batch.t}`);
    return { node, results: batch.results, conflicts: batch.conflicts };
  }

  yieldQueued(): number {
    return this.gate.cancelWaiting();
  }

  /** Turns of the object waiting at the gate, about: waiting batches, plus the open one's joiners. */
  mailboxDepth(ref: Ref): number {
    return this.gate.waiting(ref) + Math.max(0, (this.open.get(ref)?.msgs.length ?? 1) - 1);
  }

  /** `holder`: the node that keeps the object's record; least-loaded picks it on a tie (nothing to ship). */
  private choose(holder?: string): string {
    const nodes = this.pool.nodes();
    if (nodes.length === 0) throw new Error('no node is running to run functions');
    const start = this.next++ % nodes.length;
    if (this.pick === 'round-robin') return nodes[start];
    // Least loaded, ties broken by the holder, else by rotation so a light load still spreads.
    let best = holder !== undefined && nodes.includes(holder) ? holder : nodes[start];
    for (let i = 0; i < nodes.length; i++) {
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
