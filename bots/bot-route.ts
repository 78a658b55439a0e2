import type { WorldDefinition } from '../world/files/world-def.js';
import type { Ref } from '../world/core/types.js';

/** The world's rooms as a bot sees them: which room an answer shows (by its
 *  title line) and the shortest walk from one room to another (BFS over exits). */
export class BotMap {
  private readonly byName = new Map<string, Ref>();

  constructor(private readonly world: WorldDefinition) {
    for (const room of Object.values(world.rooms)) if (!this.byName.has(room.name)) this.byName.set(room.name, room.ref);
  }

  /** `mystical_plaza` or `room/mystical_plaza` as a room of this world; throws a one-line Error if there is none. */
  room(name: string): Ref {
    const ref = name.includes('/') ? name : `room/${name}`;
    if (!this.world.rooms[ref]) throw new Error(`no room "${name}" in the world ${this.world.name} (rooms: ${Object.values(this.world.rooms).map((r) => r.id).join(', ')})`);
    return ref;
  }

  /** The room whose title is the last one in `text` (a `look` or a move's answer);
   *  a shard's title, "The Mystical Plaza [shard 2]", counts as its room. */
  whereAfter(text: string): Ref | undefined {
    const lines = text.split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const title = lines[i].replace(/ \[shard \d+\]$/, '');
      const ref = this.byName.get(title);
      if (ref) return ref;
    }
    return undefined;
  }

  /** Exit names to take from `from` to reach `to`; undefined if unreachable. */
  route(from: Ref, to: Ref): string[] | undefined {
    const came = new Map<Ref, { prev: Ref; exit: string }>();
    const queue: Ref[] = [from];
    const seen = new Set<Ref>([from]);
    while (queue.length) {
      const here = queue.shift()!;
      if (here === to) break;
      for (const [exit, next] of Object.entries(this.world.rooms[here]?.exits ?? {})) {
        if (seen.has(next)) continue;
        seen.add(next);
        came.set(next, { prev: here, exit });
        queue.push(next);
      }
    }
    if (!seen.has(to)) return undefined;
    const path: string[] = [];
    for (let at = to; at !== from; at = came.get(at)!.prev) path.unshift(came.get(at)!.exit);
    return path;
  }

  exits(room: Ref): string[] {
    return Object.keys(this.world.rooms[room]?.exits ?? {});
  }
}
