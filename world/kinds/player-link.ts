import type { Msg, Ref, TurnCtx } from '../core/types.js';
import type { PlayerState } from './player.js';
import { unreadNotice } from './player-mail.js';
import { backAtTheKeys } from './player-talk.js';

// A lost link, as Diku MUDs keep one: the connection dropped, but the character stays where it stood for a
// while (portal/session-leave.ts, `linkDeadMs`), so a blip of the network does not break up a group, end a
// trade, or send the player out and back in. The session tells the world both ends of it; tells and whispers
// to the player meanwhile are refused with the reason (player-talk.ts), and `look <player>` shows it.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

export const linkCommands: Record<string, Handler> = {
  /** The session's connection dropped: the player stays, and the room tells the others and marks them. */
  linkLost(s, _m, ctx) {
    if (s.linkless === true || !s.room) return;
    ctx.send(s.room, { type: 'linkless', player: ctx.self, lost: true });
    return { ...s, linkless: true };
  },
  /** A new connection took the character over: back at the keys, from a lost link or from `afk`. Letters that
   *  came meanwhile were told to no one: the new connection hears of them, as a login does. */
  relinked(s, _m, ctx) {
    unreadNotice(s, ctx);
    if (s.linkless !== true && s.away === undefined) return;
    if (s.linkless === true && s.room) ctx.send(s.room, { type: 'linkless', player: ctx.self, lost: false });
    return withLink(s.away !== undefined ? backAtTheKeys(s, ctx) : s);
  },
};

/** A link-dead player arrived somewhere (fled, fell and woke in the start room): that room marks them too. */
export function linklessArrives(s: PlayerState, room: Ref, ctx: TurnCtx): void {
  if (s.linkless === true) ctx.send(room, { type: 'linkless', player: ctx.self, lost: true, quiet: true });
}

/** The player with their link and at the keys (a login, a logout): no longer marked lost, nor away (`afk`). */
export function withLink(s: PlayerState): PlayerState {
  if (s.linkless === undefined && s.away === undefined) return s;
  const { linkless: _lost, away: _away, ...rest } = s;
  return rest as PlayerState;
}
