import type { Effect, Msg, Ref } from '../../world/core/types.js';
import type { Dispatcher, LoadedWorld } from '../../dispatch/dispatcher.js';
import type { NodePool } from '../node-pool.js';
import type { ModeTable } from '../../dispatch/mode-table.js';
import type { TurnMeter } from '../../dispatch/turn-meter.js';

export interface ActorOptions {
  /** Players per room shard while in actor mode; 0 = off. */
  shardCapacity(): number;
  /** Whether turns build out-of-band data (TurnConfig.clientData); absent: always. */
  clientData?(): boolean;
  timeoutMs?: number;
}

/** Homed actors: each object lives on one node, chosen by rendezvous hashing
 *  over the live nodes; a turn is a request to that home, which runs the
 *  object's turns one at a time from its cached state and writes it through. */
export class ActorDispatcher implements Dispatcher {
  readonly mode = 'actor' as const;
  /** Turns sent and not yet answered, per object: the mailbox depth the gateway sees. */
  private readonly depth = new Map<Ref, number>();

  constructor(private readonly pool: NodePool, private readonly meter: TurnMeter, private readonly opts: ActorOptions) {}

  async run(ref: Ref, msg: Msg): Promise<Effect[]> {
    const home = this.pool.home(ref);
    if (!home) throw new Error('no node is running to home objects');
    this.depth.set(ref, (this.depth.get(ref) ?? 0) + 1);
    const started = performance.now();
    try {
      const reply = await this.pool.request(home, { t: 'turn', mode: 'actor', ref, msg, config: { shardCapacity: this.opts.shardCapacity(), clientData: this.opts.clientData?.() ?? true }, epoch: this.pool.epoch }, this.opts.timeoutMs ?? 60_000);
      if (reply.t !== 'effects') throw new Error(`unexpected reply ${reply.t} from ${home}`);
      this.meter.turn(home, ref, (performance.now() - started) * 1000);
      return reply.effects;
    } finally {
      const d = (this.depth.get(ref) ?? 1) - 1;
      if (d === 0) this.depth.delete(ref);
      else this.depth.set(ref, d);
    }
  }

  home(ref: Ref): string {
    return this.pool.home(ref) ?? '?';
  }

  mailboxDepth(ref: Ref): number {
    return this.depth.get(ref) ?? 0;
  }

  /** Objects with the deepest mailboxes right now. */
  deepest(limit: number): Array<{ ref: Ref; depth: number }> {
    return [...this.depth].map(([ref, depth]) => ({ ref, depth })).sort((a, b) => b.depth - a.depth).slice(0, limit);
  }

  stampEpoch(epoch: number): void {
    this.pool.setEpoch(epoch);
  }

  release(next: ModeTable): Promise<void> {
    return this.pool.releaseActors(next);
  }

  setWorld(world: LoadedWorld): Promise<void> {
    return this.pool.setWorld(world);
  }

  async close(): Promise<void> {}
}
