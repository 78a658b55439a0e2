import type { Json, Ref } from '../world/core/types.js';
import type { Outlet, PlayerLines } from './outlet.js';
import { LocationIndex, type RoomWatcher } from './location-index.js';
import { talkerOf } from '../world/core/client-data.js';

/** The fan-out on one gateway: rooms to players from the location index (fed by
 *  `located` effects), then to this gateway's sessions. A room line crosses the
 *  lattice once and becomes a line per listener only here. The whole outlet of
 *  a single gateway; a `ClusterOutlet` wraps it when there are several. */
export class LocalOutlet implements Outlet {
  readonly locations: LocationIndex;

  constructor(readonly players: PlayerLines, private readonly areaOf: (room: Ref) => string, rooms?: RoomWatcher) {
    this.locations = new LocationIndex(rooms);
  }

  tell(player: Ref, text: string, from?: Ref): void {
    this.players.tell(player, text, from);
  }

  emit(player: Ref, pkg: string, data: Json): void {
    this.players.emit(player, pkg, data);
  }

  located(player: Ref, room: Ref | null): void {
    this.locations.set(player, room);
  }

  /** Returns how many sessions here got the line (as do tellArea and broadcast). */
  tellRoom(room: Ref, text: string, except?: readonly Ref[], from?: Ref): number {
    return this.players.tellMany(this.locations.playersIn(room), text, except, from);
  }

  emitRoom(room: Ref, pkg: string, data: Json, except?: readonly Ref[]): void {
    this.players.emitMany(this.locations.playersIn(room), pkg, data, except);
  }

  /** Walks the rooms with players here (a handful at once), not the world. */
  tellArea(area: string, text: string, data: Json, except?: readonly Ref[]): number {
    let n = 0;
    for (const [room, players] of this.locations.rooms()) {
      if (this.areaOf(room) !== area) continue;
      n += this.players.tellMany(players, text, except, talkerOf(data));
      this.players.emitMany(players, 'Comm.Channel.Text', data, except);
    }
    return n;
  }

  broadcast(channel: string, text: string, data: Json): number {
    return this.players.broadcast(channel, text, data);
  }
}
