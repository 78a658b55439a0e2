import type { Effect, Msg, Ref, TurnConfig, WorldView } from '../../world/core/types.js';
import { HomedObjects } from './homed-objects.js';
import { modeIn } from '../../lattice/lattice.js';
import { RendezvousPlacement } from '../../lattice/placement.js';
import type { NodeContext, NodeHalf, ReleaseSpec } from '../node-half.js';

/** Actor mode on a node: the objects homed here, in memory, one mailbox each. */
export class ActorNode implements NodeHalf {
  private readonly actors: HomedObjects;

  constructor(private readonly ctx: NodeContext) {
    this.actors = new HomedObjects(ctx.store, ctx.world, () => ({ shardCapacity: 0 }), (_ref, micros) => ctx.meter.turn(micros));
  }

  async turn(ref: Ref, msg: Msg, config: TurnConfig): Promise<{ effects: Effect[]; conflicts: number }> {
    return { effects: await this.actors.run(ref, msg, config), conflicts: 0 };
  }

  release(spec: ReleaseSpec): Promise<void> {
    return this.actors.release(releasePredicate(this.ctx.id, spec));
  }

  passivateIdle(idleMs: number): void {
    this.actors.passivateIdle(idleMs);
  }

  setWorld(world: WorldView): void {
    this.actors.setWorld(world);
  }

  stats(): { activations: number; mailboxDepth: number } {
    const a = this.actors.stats();
    return { activations: a.activations, mailboxDepth: a.mailboxDepth };
  }
}

/** Which cached actors to drop: all, or those no longer homed here or no longer in actor mode. */
function releasePredicate(self: string, spec: ReleaseSpec): (ref: Ref) => boolean {
  if (spec === 'all') return () => true;
  const placement = new RendezvousPlacement();
  placement.setNodes(spec.keepIfHome);
  return (ref) => {
    if (spec.keepModes && modeIn(spec.keepModes, ref) !== 'actor') return true;
    return placement.home(ref) !== self;
  };
}
