import type { Json, Msg, Ref, TurnCtx } from './types.js';

// Money: a counted holding, not items. Players, rooms (coins on the floor),
// corpses and creatures (a purse; a shopkeeper's till) keep `coins` in their
// state; coins move only in a `coins` message (a `moves: 'coins'` row in
// world/core/protocol.ts) that its receiver applies at most once, so between
// two holders the coins are in exactly one state or one message, as an item is.
// Coins are made in one place only: a creature's purse, declared in the world
// files (`coins:`), filled again when it comes back from death and counted in
// its `minted`. The coin audit (ops/coin-audit.ts) checks that what every holder
// has adds up to what the world's sources have made.

/** The most coins one holder keeps (bounded arithmetic, a bounded line). */
export const COIN_LIMIT = 1_000_000_000;

export interface CoinHolder {
  coins?: number;
  [key: string]: Json | undefined;
}

export const coinsOf = (s: CoinHolder): number => (typeof s.coins === 'number' ? s.coins : 0);

/** "a gold coin", "12 gold coins". */
export function coinWords(n: number): string {
  return n === 1 ? 'a gold coin' : `${n} gold coins`;
}

/** The holder with `n` more (or, negative, fewer) coins; absent when it holds none. */
export function withCoins<S extends CoinHolder>(s: S, n: number): S {
  const coins = Math.min(COIN_LIMIT, coinsOf(s) + n);
  if (coins > 0) return { ...s, coins };
  const { coins: _none, ...rest } = s;
  return rest as S;
}

/** Sends `n` coins to `to` (nothing for none): the one way coins leave a holder. */
export function sendCoins(ctx: TurnCtx, to: Ref, n: number, fields: { [k: string]: Json } = {}): void {
  if (n > 0) ctx.send(to, { ...fields, type: 'coins', coins: n });
}

/** The coins a `coins` message carries: a positive whole number, or 0 for a malformed one. */
export function carried(m: Msg): number {
  const n = m.coins;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? Math.min(n, COIN_LIMIT) : 0;
}

/** The words a player uses for money: `coins`, `gold`, `10 coins`, `all coins`, `a coin`.
 *  A bare `coin` is a thing's keyword (a builder's `a coin` item), not money. */
const COIN_WORDS = /^(?:(?:(all|a|an|one|\d{1,10})\s+)(?:gold\s+)?(?:coins?|gold)|(?:gold\s+)?(?:coins|gold))$/i;

/** A phrase about money: how many (undefined: all there is), or not money at all. */
export function coinPhrase(phrase: string): { amount?: number } | undefined {
  const m = COIN_WORDS.exec(phrase.trim().replace(/^all\./i, 'all ')); // "all.coins", as "all.sword" is typed
  if (!m) return undefined;
  const count = m[1]?.toLowerCase();
  if (count === undefined || count === 'all') return {};
  if (count === 'a' || count === 'an' || count === 'one') return { amount: 1 };
  return { amount: Number(count) };
}
