import type { Msg, TurnCtx } from '../core/types.js';
import { renderMap } from '../core/room-map.js';
import type { PlayerState } from './player.js';

// A player's commands for finding the way: `exits` asks the room (it knows its
// doors), `map` is drawn from the world's exits alone.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

export const exploreCommands: Record<string, Handler> = {
  exits(s, _m, ctx) {
    ctx.send(s.room, { type: 'exits', player: ctx.self });
  },
  map(s, _m, ctx) {
    ctx.tell(ctx.self, renderMap(s.room, ctx.world));
  },
};
