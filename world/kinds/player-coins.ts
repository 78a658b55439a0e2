import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { displayName, nameOf, type Target } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { carried, coinsOf, coinWords, sendCoins, withCoins } from '../core/coins.js';
import type { PlayerState } from './player.js';
import { resolve } from './player-items.js';

// A player's money (world/core/coins.ts): `gold`, `get coins`, `drop N coins`,
// `give N coins to X`. The coins leave the player in the player's own turn and
// travel in one `coins` message that the next holder applies once; a room that
// does not find the one they were for sends them back.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

/** The coins a command asks for, or the reason it cannot have them. */
function spend(s: PlayerState, m: Msg, ctx: TurnCtx): number | undefined {
  const have = coinsOf(s);
  const want = typeof m.amount === 'number' ? m.amount : have;
  if (have === 0) return void ctx.tell(ctx.self, styled('error', 'You have no coins.'));
  if (want > have) return void ctx.tell(ctx.self, styled('error', `You have only ${coinWords(have)}.`));
  return want;
}

export const coinCommands: Record<string, Handler> = {
  gold(s, _m, ctx) {
    const have = coinsOf(s);
    ctx.tell(ctx.self, have ? `You have ${coinWords(have)}.` : 'You have no coins.');
  },
  takeCoins(s, m, ctx) {
    const action: { [k: string]: Json } = typeof m.amount === 'number' ? { type: 'takeCoins', amount: m.amount } : { type: 'takeCoins' };
    if (!m.from) return ctx.send(s.room, { type: 'takeCoins', ...action, player: ctx.self });
    const where = resolve(s, m.from as Target, ctx);
    if ('held' in where) return ctx.tell(ctx.self, styled('error', `There are no coins in ${nameOf(where.held, ctx.world)}.`));
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: where.inRoom, action });
  },
  dropCoins(s, m, ctx) {
    const n = spend(s, m, ctx);
    if (!n) return;
    sendCoins(ctx, s.room, n, { player: ctx.self });
    return withCoins(s, -n);
  },
  giveCoins(s, m, ctx) {
    const n = spend(s, m, ctx);
    if (!n) return;
    // `coins` on the forward itself: the room hands them back when nobody here answers to the name.
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: m.to as Target, players: true, coins: n, action: { type: 'coins', coins: n, gift: true } });
    return withCoins(s, -n);
  },
};

/** Coins arriving: picked up, handed over, paid, or handed back. */
export function receiveCoins(s: PlayerState, m: Msg, ctx: TurnCtx): PlayerState | void {
  const n = carried(m);
  if (n === 0) return;
  if (typeof m.text === 'string') ctx.tell(ctx.self, m.text);
  const giver = m.player as Ref | undefined;
  if (m.gift === true && giver && giver !== ctx.self) {
    ctx.tell(giver, `You give ${coinWords(n)} to ${displayName(ctx.self)}.`);
    ctx.tell(ctx.self, `${displayName(giver)} gives you ${coinWords(n)}.`);
    if (m.room) ctx.tellRoom(m.room as Ref, `${displayName(giver)} gives some coins to ${displayName(ctx.self)}.`, [giver, ctx.self]);
  } else if (m.gift === true) ctx.tell(ctx.self, `You keep your ${n === 1 ? 'coin' : 'coins'}.`);
  return withCoins(s, n);
}
