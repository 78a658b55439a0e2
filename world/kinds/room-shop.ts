import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { styled } from '../core/text-style.js';
import { itemDef } from './item.js';
import type { RoomState } from './room.js';

// A room passes a player's `list`, `buy`, `sell` or `value` to the shopkeeper
// standing in it (world/kinds/npc-shop.ts); with none here, a thing offered for
// sale goes back to the player.

type RoomHandler = (s: RoomState, m: Msg, ctx: TurnCtx) => RoomState | void;

export const roomShop: Record<string, RoomHandler> = {
  shop(s, m, ctx) {
    const player = m.player as Ref;
    const keeper = s.contents.find((r) => itemDef(r, ctx.world)?.props.shop === true && !s.fallen?.includes(r));
    if (!keeper) {
      if (m.item) ctx.send(player, { type: 'receive', item: m.item as Ref, text: null });
      return ctx.tell(player, styled('error', 'There is no shop here.'));
    }
    const action = m.action as { type: string; [k: string]: Json };
    ctx.send(keeper, { ...action, player, room: ctx.self });
  },
};
