import type { Ref } from '../world/core/types.js';

/** Told when a room gains its first player here and loses its last: a gateway
 *  listens to a room's lines from other gateways exactly while it has players there. */
export interface RoomWatcher {
  occupied(room: Ref): void;
  vacated(room: Ref): void;
}

/** Who is in which room, as the gateway learns it from `located` effects. It is
 *  what lets one `tellRoom` effect cross the lattice once and fan out here. */
export class LocationIndex {
  private readonly byRoom = new Map<Ref, Set<Ref>>();
  private readonly byPlayer = new Map<Ref, Ref>();

  constructor(private readonly watcher?: RoomWatcher) {}

  set(player: Ref, room: Ref | null): void {
    const old = this.byPlayer.get(player);
    if (old === room) return;
    if (old) {
      const set = this.byRoom.get(old);
      set?.delete(player);
      if (set?.size === 0) {
        this.byRoom.delete(old);
        this.watcher?.vacated(old);
      }
    }
    if (!room) {
      this.byPlayer.delete(player);
      return;
    }
    this.byPlayer.set(player, room);
    let set = this.byRoom.get(room);
    if (!set) {
      this.byRoom.set(room, (set = new Set()));
      this.watcher?.occupied(room);
    }
    set.add(player);
  }

  roomOf(player: Ref): Ref | undefined {
    return this.byPlayer.get(player);
  }

  playersIn(room: Ref): ReadonlySet<Ref> {
    return this.byRoom.get(room) ?? EMPTY;
  }

  /** Every room with players in it, and who. */
  rooms(): IterableIterator<[Ref, ReadonlySet<Ref>]> {
    return this.byRoom.entries();
  }

  /** Rooms with players, busiest first. */
  crowds(limit: number): Array<{ room: Ref; players: number }> {
    return [...this.byRoom].map(([room, s]) => ({ room, players: s.size })).sort((a, b) => b.players - a.players).slice(0, limit);
  }
}

const EMPTY: ReadonlySet<Ref> = new Set();
