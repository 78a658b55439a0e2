import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { capitalize, displayName } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { carried, coinsOf, coinWords, sendCoins, withCoins } from '../core/coins.js';
import type { RoomState } from './room.js';
import { coinsFallLine, toldAlready } from './falling-loot.js';

// Coins on a room's floor (world/core/coins.ts): dropped by a player, fallen
// from a slain creature or a crumbling corpse, picked up with `get coins`.

type RoomHandler = (s: RoomState, m: Msg, ctx: TurnCtx) => RoomState | void;

export const roomCoins: Record<string, RoomHandler> = {
  coins(s, m, ctx) {
    const n = carried(m);
    if (n === 0) return;
    const player = m.player as Ref | undefined;
    if (player) {
      ctx.tell(player, `You drop ${coinWords(n)}.`);
      ctx.tellRoom(ctx.self, `${displayName(player)} drops ${n === 1 ? 'a coin' : 'some coins'}.`, [player]);
    } else if (typeof m.from === 'string' && m.quiet !== true) {
      ctx.tellRoom(ctx.self, coinsFallLine(n, m.from, ctx.world), toldAlready(m));
    }
    return withCoins(s, n);
  },
  takeCoins(s, m, ctx) {
    const player = m.player as Ref;
    const here = coinsOf(s);
    if (here === 0) return ctx.tell(player, styled('error', 'There are no coins here.'));
    const n = typeof m.amount === 'number' ? m.amount : here;
    if (n > here) return ctx.tell(player, styled('error', `There ${here === 1 ? 'is only one coin' : `are only ${here} coins`} here.`));
    sendCoins(ctx, player, n, { text: `You pick up ${coinWords(n)}.` });
    ctx.tellRoom(ctx.self, `${displayName(player)} picks up ${n === 1 ? 'a coin' : 'some coins'}.`, [player]);
    return withCoins(s, -n);
  },
};

/** `look`'s line for the coins on the floor, if any. */
export function floorCoinsLine(s: RoomState): string | undefined {
  const n = coinsOf(s);
  return n ? `${capitalize(coinWords(n))} ${n === 1 ? 'lies' : 'lie'} on the ground.` : undefined;
}
