import { memoryUsage } from 'node:process';
import type { Ref } from '../world/core/types.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { PackedWorld } from '../world/files/packed-world.js';
import { worldFrom } from '../world/files/packed-world-view.js';
import { HomedObjects } from './actor/homed-objects.js';
import { StatelessTurns } from './function/stateless-turns.js';
import { ShippedTurns } from './function/shipped-turns.js';
import type { StateStore } from '../store/state-store.js';
import { modeIn, type LocalNodeRequest, type ModeSnapshot, type NodeReply } from '../lattice/lattice.js';
import { NodeMeter, type NodeStats } from '../lattice/node-stats.js';
import { RendezvousPlacement } from '../lattice/placement.js';
import { EpochFence } from '../lattice/epoch-fence.js';
import { SCRIPT_CALLS } from '../world/scripts/script-meter.js';

const PASSIVATE_EVERY_MS = 5_000;
const IDLE_MS = 30_000;

/** One node, whatever carries its requests: homed actors (mailboxes, cached
 *  state), stateless function turns, world reloads, and its own figures. */
export class NodeRuntime {
  private readonly actors: HomedObjects;
  private readonly functions: StatelessTurns;
  private readonly shipped: ShippedTurns;
  private readonly meter = new NodeMeter();
  /** The highest mode-table epoch acted on: older turns are refused (see epoch-fence.ts). */
  readonly fence: EpochFence;
  /** The latest release: a repeat of its epoch waits for it rather than answering early. */
  private releasing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  /** `keepRecords`: keep the records of shipped batches, so the gateway may name them instead of shipping them again. */
  constructor(readonly id: string, private readonly store: StateStore, definition: WorldDefinition | PackedWorld, keepRecords = false) {
    this.fence = new EpochFence(id);
    const world = worldFrom(definition);
    this.actors = new HomedObjects(store, world, () => ({ shardCapacity: 0 }), (_ref, micros) => this.meter.turn(micros));
    this.functions = new StatelessTurns(store, world);
    this.shipped = new ShippedTurns(this.functions, keepRecords);
    // Idle actors leave memory; their state is in the store and comes back on the next message.
    this.timer = setInterval(() => this.actors.passivateIdle(IDLE_MS), PASSIVATE_EVERY_MS);
    this.timer.unref();
  }

  async handle(req: LocalNodeRequest): Promise<NodeReply> {
    switch (req.t) {
      case 'turn': {
        this.fence.admit(req.epoch);
        if (req.mode === 'actor') return { t: 'effects', effects: await this.actors.run(req.ref, req.msg, req.config), conflicts: 0 };
        const started = performance.now();
        const r = await this.functions.run(req.ref, req.msg, req.config);
        this.meter.turn((performance.now() - started) * 1000);
        this.meter.conflicts += r.conflicts;
        return { t: 'effects', effects: r.effects, conflicts: r.conflicts };
      }
      case 'turns': {
        this.fence.admit(req.epoch);
        const started = performance.now();
        const r = await this.functions.runBatch(req.ref, req.msgs, req.config);
        const micros = ((performance.now() - started) * 1000) / req.msgs.length;
        for (let i = 0; i < req.msgs.length; i++) this.meter.turn(micros);
        this.meter.conflicts += r.conflicts;
        return { t: 'batch', results: r.results, conflicts: r.conflicts };
      }
      case 'compute': {
        this.fence.admit(req.epoch);
        const started = performance.now();
        const reply = this.shipped.compute(req);
        if (reply.t === 'computed') {
          const micros = ((performance.now() - started) * 1000) / req.msgs.length;
          for (let i = 0; i < req.msgs.length; i++) this.meter.turn(micros);
        }
        return reply;
      }
      case 'release':
        // Another gateway's release of this epoch came first: answer once it has finished.
        if (!this.fence.releaseOnce(req.epoch)) await this.releasing;
        else await (this.releasing = this.actors.release(releasePredicate(this.id, req.actorRefs)));
        return { t: 'ok' };
      case 'world': {
        const world = worldFrom(req.definition);
        this.actors.setWorld(world);
        this.functions.setWorld(world);
        return { t: 'ok' };
      }
      case 'stats':
        return { t: 'stats', stats: this.stats() };
    }
  }

  stats(): NodeStats {
    const a = this.actors.stats();
    const w = this.meter.window();
    return {
      id: this.id, time: Date.now(), turns: this.meter.turns, writes: this.store.stats().writes + this.shipped.writes, conflicts: this.meter.conflicts,
      activations: a.activations, mailboxDepth: a.mailboxDepth, elu: w.elu, p50us: w.p50us, p99us: w.p99us,
      rssBytes: memoryUsage.rss(), scripts: { ...SCRIPT_CALLS },
    };
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** Which cached actors to drop: all, or those no longer homed here or no longer in actor mode. */
function releasePredicate(self: string, spec: 'all' | { keepIfHome: string[]; keepModes?: ModeSnapshot }): (ref: Ref) => boolean {
  if (spec === 'all') return () => true;
  const placement = new RendezvousPlacement();
  placement.setNodes(spec.keepIfHome);
  return (ref) => {
    if (spec.keepModes && modeIn(spec.keepModes, ref) !== 'actor') return true;
    return placement.home(ref) !== self;
  };
}
