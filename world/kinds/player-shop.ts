import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { findTarget, nameOf, type Target } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { coinsOf, coinWords, sendCoins, withCoins } from '../core/coins.js';
import type { PlayerState } from './player.js';
import { withoutItems } from './player-items.js';

// A player at a shop (world/kinds/npc-shop.ts): `list`, `buy`, `sell`, `value`.
// Each goes to the room as `shop`, which hands it to the shopkeeper there.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

const toShop = (s: PlayerState, ctx: TurnCtx, action: { [k: string]: Json }, item?: Ref) =>
  ctx.send(s.room, item ? { type: 'shop', player: ctx.self, item, action } : { type: 'shop', player: ctx.self, action });

export const shopCommands: Record<string, Handler> = {
  list(s, _m, ctx) {
    toShop(s, ctx, { type: 'list' });
  },
  buy(s, m, ctx) {
    toShop(s, ctx, { type: 'buy', target: m.target as Target, purse: coinsOf(s) });
  },
  /** The thing leaves at once and travels to the shop, which pays for it or hands it back. */
  sell(s, m, ctx) {
    const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
    if (!item) return ctx.tell(ctx.self, styled('error', "You aren't carrying that."));
    toShop(s, ctx, { type: 'sell', item }, item);
    return withoutItems(s, [item]);
  },
  value(s, m, ctx) {
    const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
    if (!item) return ctx.tell(ctx.self, styled('error', "You aren't carrying that."));
    toShop(s, ctx, { type: 'appraise', item });
  },
};

/** The shop let go of what the player bought: in one turn the player takes it and pays,
 *  or, with the money gone meanwhile, sends it back. */
export function receiveBought(s: PlayerState, m: Msg, ctx: TurnCtx): PlayerState | void {
  const item = m.item as Ref;
  const price = typeof m.price === 'number' ? m.price : 0;
  const shop = m.shop as Ref;
  if (s.inventory.includes(item)) return;
  if (coinsOf(s) < price) {
    ctx.send(shop, { type: 'restock', item });
    return ctx.tell(ctx.self, styled('error', `You can no longer afford ${nameOf(item, ctx.world)}.`));
  }
  sendCoins(ctx, shop, price);
  ctx.tell(ctx.self, `You buy ${nameOf(item, ctx.world)} from ${nameOf(shop, ctx.world)} for ${coinWords(price)}.`);
  return { ...withCoins(s, -price), inventory: [...s.inventory, item] };
}
