import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { displayName } from '../commands/matching.js';
import type { RoomState } from './room.js';

// Who in a room stands link-dead (world/kinds/player-link.ts): the room tells the others when a player's link
// drops and when they are back, and `look` marks them, until they reconnect or leave (`exit` forgets them).

type RoomHandler = (s: RoomState, m: Msg, ctx: TurnCtx) => RoomState | void;

export const linklessOf = (s: RoomState): Ref[] => (Array.isArray(s.linkless) ? (s.linkless as Ref[]) : []);

/** The room without this player among the link-dead (absent once none is). */
export function withLinkBack(s: RoomState, player: Ref): RoomState {
  const linkless = linklessOf(s);
  if (!linkless.includes(player)) return s;
  const rest = linkless.filter((r) => r !== player);
  if (rest.length > 0) return { ...s, linkless: rest };
  const { linkless: _none, ...plain } = s;
  return plain as RoomState;
}

export const linkMoves: Record<string, RoomHandler> = {
  /** `lost`: the player's link dropped (else it is back); `quiet`: told already elsewhere (a link-dead player
   *  who fled or fell into this room, a login that clears a mark a crash left). */
  linkless(s, m, ctx) {
    const player = m.player as Ref;
    if (!s.occupants.includes(player)) return;
    const lost = m.lost === true;
    if (lost === linklessOf(s).includes(player)) return;
    if (m.quiet !== true) ctx.tellRoom(ctx.self, `${displayName(player)} ${lost ? 'has lost the link.' : 'has reconnected.'}`, [player]);
    return lost ? { ...s, linkless: [...linklessOf(s), player] } : withLinkBack(s, player);
  },
};
