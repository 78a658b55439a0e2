import { memoryUsage } from 'node:process';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { PackedWorld } from '../world/files/packed-world.js';
import { worldFrom } from '../world/files/packed-world-view.js';
import type { StateStore } from '../store/state-store.js';
import type { LocalNodeRequest, ModeRequest, NodeReply, NodeRequest } from '../lattice/lattice.js';
import { NodeMeter, type NodeStats } from '../lattice/node-stats.js';
import { EpochFence } from '../lattice/epoch-fence.js';
import { SCRIPT_CALLS } from '../world/scripts/script-meter.js';
import type { NodeHalf, ReleaseSpec } from './node-half.js';
import { isMode, MODE_REGISTRY, MODES } from './registry.js';

const PASSIVATE_EVERY_MS = 5_000;

/** Whether the request's mode declares its type (modes/mode-spec.ts, `requests`): from another
 *  process only the `remote` ones; from this one (`local`) those and the `local` ones. */
function declares(req: ModeRequest, from: 'local' | 'remote'): boolean {
  const t: unknown = req.body?.t;
  const declared = isMode(req.mode) ? MODE_REGISTRY[req.mode].requests : undefined;
  if (typeof t !== 'string' || !declared) return false;
  return (declared.remote ?? []).includes(t) || (from === 'local' && (declared.local ?? []).includes(t));
}
const IDLE_MS = 30_000;

/** One node, whatever carries its requests: each mode's node half (modes/registry.ts),
 *  a turn routed to its mode's; world reloads, releases and its own figures for all of them. */
export class NodeRuntime {
  private readonly halves = new Map<string, NodeHalf>();
  private readonly meter = new NodeMeter();
  /** The highest mode-table epoch acted on: older turns are refused (see epoch-fence.ts). */
  readonly fence: EpochFence;
  /** The latest release: a repeat of its epoch waits for it rather than answering early. */
  private releasing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  /** `keepRecords`: keep the records of shipped batches, so the gateway may name them instead of shipping them again. */
  constructor(readonly id: string, private readonly store: StateStore, definition: WorldDefinition | PackedWorld, keepRecords = false) {
    this.fence = new EpochFence(id);
    const context = { id, store, world: worldFrom(definition), meter: this.meter, keepRecords };
    for (const mode of MODES) {
      const half = MODE_REGISTRY[mode].node?.(context);
      if (half) this.halves.set(mode, half);
    }
    // Idle objects leave memory; their state is in the store and comes back on the next message.
    this.timer = setInterval(() => this.halves.forEach((h) => h.passivateIdle?.(IDLE_MS)), PASSIVATE_EVERY_MS);
    this.timer.unref();
  }

  async handle(req: LocalNodeRequest): Promise<NodeReply> {
    switch (req.t) {
      case 'turn': {
        this.fence.admit(req.epoch);
        const half = this.halves.get(req.mode);
        if (!half) throw new Error(`node ${this.id} runs no ${req.mode} turns`);
        const r = await half.turn(req.ref, req.msg, req.config);
        return { t: 'effects', effects: r.effects, conflicts: r.conflicts };
      }
      case 'release':
        // Another gateway's release of this epoch came first: answer once it has finished.
        if (!this.fence.releaseOnce(req.epoch)) await this.releasing;
        else await (this.releasing = this.releaseAll(req.actorRefs));
        return { t: 'ok' };
      case 'world': {
        const world = worldFrom(req.definition);
        this.halves.forEach((h) => h.setWorld(world));
        return { t: 'ok' };
      }
      case 'stats':
        return { t: 'stats', stats: this.stats() };
      case 'mode': {
        // A mode's own request (a function batch): its mode's half answers it, if the mode declares it.
        this.fence.admit(req.epoch);
        const half = this.halves.get(req.mode);
        if (!half?.request || !declares(req, 'local')) throw new Error(`node ${this.id} does not know the request ${req.mode} ${String(req.body?.t)}`);
        return { t: 'mode', body: await half.request(req.body) };
      }
      default:
        throw new Error(`node ${this.id} does not know the request ${String((req as { t?: unknown }).t)}`);
    }
  }

  acceptsRemote(req: NodeRequest): boolean {
    return req.t !== 'mode' || declares(req, 'remote');
  }

  private async releaseAll(spec: ReleaseSpec): Promise<void> {
    await Promise.all([...this.halves.values()].map((h) => h.release?.(spec)));
  }

  stats(): NodeStats {
    const w = this.meter.window();
    let activations = 0, mailboxDepth = 0, writes = this.store.stats().writes;
    for (const half of this.halves.values()) {
      const s = half.stats?.() ?? {};
      activations += s.activations ?? 0;
      mailboxDepth += s.mailboxDepth ?? 0;
      writes += s.writes ?? 0;
    }
    return {
      id: this.id, time: Date.now(), turns: this.meter.turns, writes, conflicts: this.meter.conflicts,
      activations, mailboxDepth, elu: w.elu, p50us: w.p50us, p99us: w.p99us,
      rssBytes: memoryUsage.rss(), scripts: { ...SCRIPT_CALLS },
    };
  }

  close(): void {
    clearInterval(this.timer);
  }
}
