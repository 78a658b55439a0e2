import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { capitalize, findTarget, nameOf, targetPhrase, type Target } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { coinsOf, coinWords, sendCoins, withCoins } from '../core/coins.js';
import { respawnItems, watchRespawns } from '../core/item-respawn.js';
import { itemDef } from './item.js';
import type { NpcState } from './npc.js';

// A shopkeeper: a creature with `shop: true` in the world files (checked by
// world/files/world-shops.ts). What it holds is its stock, what it carries its
// till. Every step is the item and coin protocols:
//
// - buy: the player's `buy` reaches the shop through the room with what the player
//   has; the shop lets go of the thing in its turn (`bought`, carrying it), and the
//   player's one turn takes it and pays (`coins` back to the shop), or, if the money
//   is gone meanwhile, sends it back (`restock`). From the player's side the thing
//   and the coins change hands at once; the thing exists once throughout.
// - sell: the thing leaves the player and travels in `sell`; the shop keeps it and
//   pays from its till, or hands it back.
// - restock: what it starts with are slots, filled again by new copies after its
//   `restock` delay (world/core/item-respawn.ts, the same timer rooms use).

type Handler = (s: NpcState, m: Msg, ctx: TurnCtx) => NpcState | void;

/** The most things a shop holds unless its world file says otherwise (`holds`): beyond it, it buys
 *  nothing more and says so. Its stock is real things, each held once, so a full shop refuses rather
 *  than destroying what it has no room for; a builder sizes a busy stall with `holds`. */
const SHOP_LIMIT = 40;

export const isShop = (ref: Ref, ctx: TurnCtx): boolean => itemDef(ref, ctx.world)?.props.shop === true;

/** What a shop asks for a thing; undefined when no shop deals in it. */
export function priceOf(item: Ref, ctx: TurnCtx): number | undefined {
  const value = itemDef(item, ctx.world)?.props.value;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/** What a shop pays for a thing: half its price, at least a coin. */
export function offerFor(item: Ref, ctx: TurnCtx): number | undefined {
  const price = priceOf(item, ctx);
  return price === undefined ? undefined : Math.max(1, Math.floor(price / 2));
}

const holds = (ctx: TurnCtx): number => {
  const declared = itemDef(ctx.self, ctx.world)?.props.holds;
  return typeof declared === 'number' ? declared : SHOP_LIMIT;
};

const keeper = (ctx: TurnCtx) => capitalize(nameOf(ctx.self, ctx.world));

/** Hands a thing back to the player who offered it, with the reason. */
function handBack(m: Msg, ctx: TurnCtx, why: string): void {
  ctx.send(m.player as Ref, { type: 'receive', item: m.item as Ref, text: null });
  ctx.tell(m.player as Ref, why);
}

export const shopHandlers: Record<string, Handler> = {
  list(s, m, ctx) {
    const player = m.player as Ref;
    if (s.contents.length === 0) return ctx.tell(player, `${keeper(ctx)} has nothing for sale just now.`);
    const rows = new Map<string, { price: number; count: number }>();
    for (const item of s.contents) {
      const name = nameOf(item, ctx.world);
      const row = rows.get(name);
      if (row) row.count += 1;
      else rows.set(name, { price: priceOf(item, ctx) ?? 0, count: 1 });
    }
    const lines = [...rows].map(([name, r]) => `  ${name}${r.count > 1 ? ` (${r.count})` : ''}: ${coinWords(r.price)}`);
    ctx.tell(player, `${keeper(ctx)} sells:\n${lines.join('\n')}\nType "buy <thing>" to buy, "sell <thing>" to sell, "value <thing>" to ask what it would fetch.`);
  },
  buy(s, m, ctx) {
    const player = m.player as Ref;
    const item = findTarget(m.target as Target, s.contents, ctx.world).ref;
    if (!item) return ctx.tell(player, styled('error', `${keeper(ctx)} has no "${targetPhrase(m.target as Target)}" for sale.`));
    const price = priceOf(item, ctx) ?? 0;
    const purse = typeof m.purse === 'number' ? m.purse : 0;
    if (purse < price) return ctx.tell(player, styled('error', `${capitalize(nameOf(item, ctx.world))} costs ${coinWords(price)}; you have ${purse ? coinWords(purse) : 'none'}.`));
    ctx.send(player, { type: 'bought', item, price, shop: ctx.self });
    return { ...s, contents: s.contents.filter((r) => r !== item) };
  },
  sell(s, m, ctx) {
    const item = m.item as Ref;
    if (s.contents.includes(item)) return;
    const pay = offerFor(item, ctx);
    const name = nameOf(item, ctx.world);
    if (pay === undefined) return handBack(m, ctx, `${keeper(ctx)} has no use for ${name}.`);
    if (s.contents.length >= holds(ctx)) return handBack(m, ctx, `${keeper(ctx)} has no room for more.`);
    if (coinsOf(s) < pay) return handBack(m, ctx, `${keeper(ctx)} cannot afford ${name} just now.`);
    sendCoins(ctx, m.player as Ref, pay, { text: `You sell ${name} to ${nameOf(ctx.self, ctx.world)} for ${coinWords(pay)}.` });
    return { ...withCoins(s, -pay), contents: [...s.contents, item] };
  },
  appraise(_s, m, ctx) {
    const item = m.item as Ref;
    const pay = offerFor(item, ctx);
    const name = nameOf(item, ctx.world);
    ctx.tell(m.player as Ref, pay === undefined ? `${keeper(ctx)} has no use for ${name}.` : `${keeper(ctx)} would pay ${coinWords(pay)} for ${name}.`);
  },
};

/** A shopkeeper's turn: its restock timer, its trade, or what any creature does; what it started
 *  with and has sold comes back on the restock timer (armed after any turn that changed its stock). */
export function shopTurn(s: NpcState, m: Msg, ctx: TurnCtx, creature: Handler | undefined): NpcState | void {
  const stock = itemDef(ctx.self, ctx.world)?.contents ?? [];
  const respawning = s.respawning as { timer?: string } | undefined;
  if (m.type === 'respawn' && respawning?.timer === m.id) return respawnItems(s, m, stock, ctx)?.state;
  const next = (shopHandlers[m.type] ?? creature)?.(s, m, ctx);
  return next ? watchRespawns(s, next, stock, ctx) : next;
}
