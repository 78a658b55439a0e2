import type { Lattice, NodeReply, NodeRequest } from '../lattice/lattice.js';
import { RendezvousPlacement } from '../lattice/placement.js';
import type { NodeStats } from '../lattice/node-stats.js';
import type { Logger } from '../support/logger.js';
import type { Ref } from '../world/core/types.js';
import type { LoadedWorld } from '../dispatch/dispatcher.js';
import type { ModeTable } from '../dispatch/mode-table.js';

const STATS_EVERY_MS = 250;
const STATS_TIMEOUT_MS = 5000;

/** The gateway's view of its nodes, shared by the actor and function
 *  dispatchers: who is live, where each object's home is, what each node last
 *  reported, and the one-time broadcasts (a world reload, a release). */
export class NodePool {
  readonly placement = new RendezvousPlacement();
  private readonly latest = new Map<string, NodeStats>();
  private readonly inFlight = new Map<string, number>();
  private readonly polling = new Set<string>();
  private world: LoadedWorld | undefined;
  private worldSent: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  /** The mode-table epoch turns are stamped with (nodes refuse older ones: lattice/epoch-fence.ts). */
  epoch = 0;

  constructor(readonly lattice: Lattice, private readonly log: Logger) {
    this.placement.setNodes(lattice.nodes());
    lattice.onMembership((e) => {
      this.placement.setNodes(this.lattice.nodes());
      if (e.type === 'left') this.latest.delete(e.node);
      // Objects whose home moved are dropped at their old home; they reload from the store at the new one.
      void this.broadcast({ t: 'release', actorRefs: { keepIfHome: this.lattice.nodes() } });
    });
    this.timer = setInterval(() => void this.poll(), STATS_EVERY_MS);
    this.timer.unref();
  }

  nodes(): string[] {
    return this.lattice.nodes();
  }

  home(ref: Ref): string | undefined {
    return this.placement.home(ref);
  }

  /** A request to one node, counted so least-loaded choice can see it. */
  request(node: string, req: NodeRequest, timeoutMs: number): Promise<NodeReply> {
    return this.counted(node, () => this.lattice.request(node, req, timeoutMs));
  }

  /** Work on one node, counted as a request in flight there. */
  async counted<T>(node: string, work: () => Promise<T>): Promise<T> {
    this.inFlight.set(node, (this.inFlight.get(node) ?? 0) + 1);
    try {
      return await work();
    } finally {
      this.inFlight.set(node, (this.inFlight.get(node) ?? 1) - 1);
    }
  }

  outstanding(node: string): number {
    return this.inFlight.get(node) ?? 0;
  }

  stats(): NodeStats[] {
    return [...this.latest.values()].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  }

  /** Sends a reloaded world to every node once, however many dispatchers ask. */
  setWorld(world: LoadedWorld): Promise<void> {
    if (this.world === world) return this.worldSent;
    this.world = world;
    this.worldSent = this.broadcast({ t: 'world', definition: world.definition });
    return this.worldSent;
  }

  /** From now on, turns (and joins of nodes heard later) carry this epoch. */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
    this.lattice.setEpoch?.(epoch);
  }

  /** Before a switch: nodes drop cached actors that will not be actors after it (once per epoch). */
  releaseActors(next: ModeTable): Promise<void> {
    return this.broadcast({ t: 'release', actorRefs: { keepIfHome: this.nodes(), keepModes: next }, epoch: this.epoch });
  }

  async broadcast(req: NodeRequest): Promise<void> {
    await Promise.all(this.nodes().map((n) => this.lattice.request(n, req, 10_000).catch((err: Error) => {
      this.log.warn('node broadcast failed', { node: n, request: req.t, why: err.message });
    })));
  }

  /** One stats request per node at a time, with a generous deadline: a busy
   *  node answers late rather than never, and its figures stay current. */
  private async poll(): Promise<void> {
    await Promise.all(this.nodes().map(async (n) => {
      if (this.polling.has(n)) return;
      this.polling.add(n);
      const reply = await this.lattice.request(n, { t: 'stats' }, STATS_TIMEOUT_MS).catch(() => undefined);
      this.polling.delete(n);
      if (reply?.t === 'stats') this.latest.set(n, reply.stats);
    }));
  }

  close(): void {
    clearInterval(this.timer);
  }
}
