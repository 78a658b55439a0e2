import type { Ref } from '../world/core/types.js';

/** Rendezvous (highest-random-weight) hashing: an object's home is the live node
 *  with the highest hash of (node, ref). Every gateway computes the same home with
 *  no table to share, and when a node leaves only the objects it homed move; when
 *  one joins, only the objects it now wins move to it. */
export class RendezvousPlacement {
  private nodes: string[] = [];
  private seeds: number[] = [];

  setNodes(nodes: readonly string[]): void {
    this.nodes = [...nodes].sort();
    this.seeds = this.nodes.map((n) => fnv1a(n, 0x811c9dc5));
  }

  get members(): readonly string[] {
    return this.nodes;
  }

  /** The home of a ref. Room shards (`room/x~2`, `~3`, ...) go round the nodes
   *  from the base room's home: shard k is k-1 nodes on, so a room's first shards
   *  land on other nodes than the base and than each other (a shard exists to
   *  take load off the base's node), and every gateway and node agrees. */
  home(ref: Ref): string | undefined {
    const tilde = ref.indexOf('~');
    if (tilde < 0 || this.nodes.length < 2) return this.best(ref);
    const base = this.nodes.indexOf(this.best(ref.slice(0, tilde))!);
    const k = Number(ref.slice(tilde + 1)) || 1;
    return this.nodes[(base + k - 1) % this.nodes.length];
  }

  private best(ref: Ref): string | undefined {
    let best: string | undefined;
    let bestWeight = -1;
    for (let i = 0; i < this.nodes.length; i++) {
      const w = mix(fnv1a(ref, this.seeds[i]));
      if (w > bestWeight) {
        bestWeight = w;
        best = this.nodes[i];
      }
    }
    return best;
  }
}

export function homeOf(ref: Ref, nodes: readonly string[]): string | undefined {
  const p = new RendezvousPlacement();
  p.setNodes(nodes);
  return p.home(ref);
}

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A finaliser (murmur3's) so nearby seeds give unrelated weights. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
