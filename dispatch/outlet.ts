import type { Json, Ref } from '../world/core/types.js';

/** Where the engine's effects for players go. The engine names who hears a line
 *  (a player, a room, an area, a channel) and the outlet decides how it gets there:
 *  straight to this gateway's sessions (`LocalOutlet`), or also across gateways
 *  (`ClusterOutlet`). Every method is fire-and-forget: lines are feedback, not state. */
export interface Outlet {
  /** `from`, on this and `tellRoom`: the player whose words the line carries (see the `tell` effect). */
  tell(player: Ref, text: string, from?: Ref): void;
  /** Out-of-band data (see the `emit` effect) for one player. */
  emit(player: Ref, pkg: string, data: Json): void;
  /** Where a player now is (`null`: in no room): who hears a room's lines. */
  located(player: Ref, room: Ref | null): void;
  /** One line to everyone in a room but `except`, encoded once for all. */
  tellRoom(room: Ref, text: string, except?: readonly Ref[], from?: Ref): void;
  emitRoom(room: Ref, pkg: string, data: Json, except?: readonly Ref[]): void;
  /** A shout: every room of the area, line and channel data. */
  tellArea(area: string, text: string, data: Json, except?: readonly Ref[]): void;
  /** A channel line for every player who listens to the channel (see the `broadcast` effect). */
  broadcast(channel: string, text: string, data: Json): void;
}

/** This gateway's sessions, by player: where every line finally goes. The
 *  many-player methods return how many sessions got the line. */
export interface PlayerLines {
  /** Is the player's session on this gateway? */
  has(player: Ref): boolean;
  /** `from`, on this and `tellMany`: the speaker; a session that ignores them drops the line. */
  tell(player: Ref, text: string, from?: Ref): void;
  emit(player: Ref, pkg: string, data: Json): void;
  tellMany(players: Iterable<Ref>, text: string, except?: readonly Ref[], from?: Ref): number;
  emitMany(players: Iterable<Ref>, pkg: string, data: Json, except?: readonly Ref[]): number;
  broadcast(channel: string, text: string, data: Json): number;
}
