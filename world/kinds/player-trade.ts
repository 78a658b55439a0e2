import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { displayName, findTarget, listNames, nameOf, type Target } from '../commands/matching.js';
import { groupNames } from '../core/grouped-names.js';
import { styled } from '../core/text-style.js';
import { coinsOf, coinWords, sendCoins, withCoins } from '../core/coins.js';
import type { PlayerState } from './player.js';
import { withoutItems } from './player-items.js';

// A trade between two players: `trade bob`, `offer sword`, `offer 10 coins`,
// `accept`, `cancel`. Both sides' goods change hands, or neither's. The two
// players are two objects, perhaps on two nodes, and no store here commits two
// keys at once, so it is a protocol (two-phase commit) whose every step is one
// committed turn of one player (docs/architecture/trade.md):
//
// 1. What a player offers leaves their inventory for their own escrow
//    (`trade.mine`, still theirs: the audits count it) and the other side is
//    told the terms (`tradeTerms`, with a version). Any change of terms clears
//    both acceptances.
// 2. `accept` marks the terms (both versions) accepted and tells the other side.
// 3. Once both sides have accepted the same terms, the player whose ref sorts
//    first (the *preparer*) locks their side (`settling`: no more changes, no
//    cancel) and asks the other (the *decider*) to commit (`tradeCommit`).
// 4. The decider decides in one turn: if it still accepts exactly those terms, it
//    hands over its goods (one `receive` per thing, one `coins`) and answers yes;
//    otherwise (it changed or cancelled meanwhile) it answers no and both sides
//    take their goods back. It remembers its last decision, so a commit asked
//    again (after a crash) gets the same answer and nothing moves twice.
// 5. On yes, the preparer hands over its goods; on no, it takes them back.
//    A preparer that hears nothing asks again on a durable timer.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

/** What one side puts up, and the version of its terms. */
interface Side { items: Ref[]; coins: number; v: number }

export interface Trade {
  /** The trade's own id (its `tradeAsk` message's): every message of it names it. */
  id: string;
  with: Ref;
  mine: Side;
  theirs: Side;
  /** The terms this player accepted: [my version, their version]. */
  accepted: [number, number] | null;
  /** The terms the other player accepted, as they told it: [their version, my version]. */
  peerAccepted: [number, number] | null;
  /** The preparer's lock while the decider decides, with its retry timer. */
  settling: string | null;
}

/** A decider's decision, kept per partner (the last trade with each), so a commit asked twice
 *  (after a crash) is answered the same. A preparer has one trade at a time, and cannot start
 *  another while it waits for this answer, so the last one per partner is the one it asks about. */
interface Decision { with: Ref; id: string; ok: boolean }

/** How many partners' last decisions a player keeps. */
const DECISIONS_KEPT = 16;

/** How long a preparer waits for the decision before asking again. */
export const TRADE_RETRY_MS = 5_000;
/** The most things one side may put up. */
export const TRADE_LIMIT = 20;

const EMPTY: Side = { items: [], coins: 0, v: 0 };

const tradeOf = (s: PlayerState): Trade | null => (s.trade as unknown as Trade | null | undefined) ?? null;
const withTrade = (s: PlayerState, trade: Trade | null): PlayerState => ({ ...s, trade: trade as unknown as Json });
const same = (a: [number, number] | null, b: [number, number] | null) => !!a && !!b && a[0] === b[0] && a[1] === b[1];
const decisionsOf = (s: PlayerState): Decision[] => (Array.isArray(s.tradeDecisions) ? (s.tradeDecisions as unknown as Decision[]) : []);
function decided(s: PlayerState, d: Decision): PlayerState {
  const kept = decisionsOf(s).filter((x) => x.with !== d.with).slice(-(DECISIONS_KEPT - 1));
  return { ...s, tradeDecisions: [...kept, d] as unknown as Json };
}
const termsOf = (m: Msg): [number, number] => (Array.isArray(m.terms) ? [Number(m.terms[0]), Number(m.terms[1])] : [-1, -1]);

/** "a sword and 10 gold coins", or "nothing". */
function goodsLine(side: Side, ctx: TurnCtx): string {
  const things = groupNames(side.items.map((r) => nameOf(r, ctx.world)));
  if (side.coins > 0) things.push(coinWords(side.coins));
  return things.length ? listNames(things) : 'nothing';
}

/** The player's own goods back from escrow, the trade over. */
function unwind(s: PlayerState, trade: Trade): PlayerState {
  return { ...withCoins(withTrade(s, null), trade.mine.coins), inventory: [...s.inventory, ...trade.mine.items] };
}

/** This side's goods to the other player: one message per thing, applied once each. */
function handOver(trade: Trade, ctx: TurnCtx): void {
  for (const item of trade.mine.items) ctx.send(trade.with, { type: 'receive', item, text: null });
  sendCoins(ctx, trade.with, trade.mine.coins);
}

function done(trade: Trade, ctx: TurnCtx): void {
  ctx.tell(ctx.self, `The trade with ${displayName(trade.with)} is done: you gave ${goodsLine(trade.mine, ctx)} and got ${goodsLine(trade.theirs, ctx)}.`);
}

/** Both have accepted these terms: the preparer locks its side and asks the decider. */
function maybeCommit(s: PlayerState, trade: Trade, ctx: TurnCtx): PlayerState {
  const terms: [number, number] = [trade.mine.v, trade.theirs.v];
  if (ctx.self > trade.with || !same(trade.accepted, terms) || !same(trade.peerAccepted, [terms[1], terms[0]])) return withTrade(s, trade);
  ctx.send(trade.with, { type: 'tradeCommit', from: ctx.self, trade: trade.id, terms: [terms[1], terms[0]] });
  return withTrade(s, { ...trade, settling: ctx.after(TRADE_RETRY_MS, { type: 'tradeRetry', terms }) });
}

function notTrading(ctx: TurnCtx): void {
  ctx.tell(ctx.self, styled('error', 'You are not trading with anyone. (trade <player> starts one.)'));
}

const settlingLine = (trade: Trade) => `Your trade with ${displayName(trade.with)} is being settled; wait a moment.`;

export const tradeCommands: Record<string, Handler> = {
  /** trade: how it stands; trade <player>: start one with someone here. */
  trade(s, m, ctx) {
    const trade = tradeOf(s);
    if (!m.with) {
      if (!trade) return notTrading(ctx);
      const mark = trade.settling ? ' (being settled)' : same(trade.accepted, [trade.mine.v, trade.theirs.v]) ? ' (you have accepted)' : '';
      return ctx.tell(ctx.self, `Trading with ${displayName(trade.with)}${mark}.\n  You offer: ${goodsLine(trade.mine, ctx)}.\n  ${displayName(trade.with)} offers: ${goodsLine(trade.theirs, ctx)}.`);
    }
    if (trade) return ctx.tell(ctx.self, styled('error', `You are already trading with ${displayName(trade.with)}. (cancel ends it.)`));
    if (s.fighting) return ctx.tell(ctx.self, styled('error', 'Not in the middle of a fight!'));
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: m.with as Target, players: true, action: { type: 'tradeAsk' } });
  },
  /** offer <thing> | offer N coins: into escrow; the other side hears the new terms. */
  offer(s, m, ctx) {
    const trade = tradeOf(s);
    if (!trade) return notTrading(ctx);
    if (trade.settling) return ctx.tell(ctx.self, styled('error', settlingLine(trade)));
    let next = s;
    const mine = { ...trade.mine, v: trade.mine.v + 1 };
    if (m.coins !== undefined) {
      const have = coinsOf(s);
      const n = typeof m.coins === 'number' ? m.coins : have; // 'all'
      if (have === 0 || n > have) return ctx.tell(ctx.self, styled('error', have ? `You have only ${coinWords(have)}.` : 'You have no coins.'));
      mine.coins += n;
      next = withCoins(s, -n);
    } else {
      const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
      if (!item) return ctx.tell(ctx.self, styled('error', "You aren't carrying that."));
      if (mine.items.length >= TRADE_LIMIT) return ctx.tell(ctx.self, styled('error', `At most ${TRADE_LIMIT} things in one trade.`));
      mine.items = [...mine.items, item];
      next = withoutItems(s, [item]);
    }
    ctx.tell(ctx.self, `You offer ${goodsLine(mine, ctx)}.`);
    ctx.send(trade.with, { type: 'tradeTerms', from: ctx.self, trade: trade.id, goods: mine.items, coins: mine.coins, v: mine.v });
    return withTrade(next, { ...trade, mine, accepted: null, peerAccepted: null });
  },
  accept(s, _m, ctx) {
    const trade = tradeOf(s);
    if (!trade) return notTrading(ctx);
    if (trade.settling) return ctx.tell(ctx.self, settlingLine(trade));
    const terms: [number, number] = [trade.mine.v, trade.theirs.v];
    if (trade.mine.items.length + trade.mine.coins + trade.theirs.items.length + trade.theirs.coins === 0) {
      return ctx.tell(ctx.self, styled('error', 'Nothing is on the table yet: offer something first.'));
    }
    ctx.tell(ctx.self, `You accept: ${goodsLine(trade.mine, ctx)} for ${goodsLine(trade.theirs, ctx)}.`);
    ctx.send(trade.with, { type: 'tradeAccept', from: ctx.self, trade: trade.id, terms });
    return maybeCommit(s, { ...trade, accepted: terms }, ctx);
  },
  cancel(s, _m, ctx) {
    const trade = tradeOf(s);
    if (!trade) return notTrading(ctx);
    if (trade.settling) return ctx.tell(ctx.self, styled('error', settlingLine(trade)));
    ctx.tell(ctx.self, `You call off the trade with ${displayName(trade.with)}; you take back ${goodsLine(trade.mine, ctx)}.`);
    ctx.send(trade.with, { type: 'tradeEnd', from: ctx.self, trade: trade.id });
    return unwind(s, trade);
  },
};

/** Is this message from the player this one trades with? */
const fromPeer = (trade: Trade | null, m: Msg): trade is Trade => !!trade && m.from === trade.with && m.trade === trade.id;

export const tradeHandlers: Record<string, Handler> = {
  /** Someone here wants to trade: open, unless busy or fighting. */
  tradeAsk(s, m, ctx) {
    const asker = m.player as Ref;
    if (asker === ctx.self) return ctx.tell(ctx.self, styled('error', 'You cannot trade with yourself.'));
    const trade = tradeOf(s);
    if (trade?.with === asker) return;
    if (trade || s.fighting) return ctx.tell(asker, `${displayName(ctx.self)} is busy.`);
    ctx.tell(ctx.self, `${displayName(asker)} wants to trade with you: "offer <thing>" or "offer N coins" to put something up, "accept" when the terms suit you, "cancel" to walk away.`);
    ctx.send(asker, { type: 'tradeOpen', from: ctx.self, trade: m.id });
    return withTrade(s, { id: m.id, with: asker, mine: EMPTY, theirs: EMPTY, accepted: null, peerAccepted: null, settling: null });
  },
  /** The other side agreed to talk; if this player started another trade meanwhile, it is called off. */
  tradeOpen(s, m, ctx) {
    const peer = m.from as Ref;
    const trade = tradeOf(s);
    if (trade?.id === m.trade) return;
    if (trade) return ctx.send(peer, { type: 'tradeEnd', from: ctx.self, trade: m.trade });
    ctx.tell(ctx.self, `You start a trade with ${displayName(peer)}: "offer <thing>" or "offer N coins", then "accept" (or "cancel").`);
    return withTrade(s, { id: m.trade as string, with: peer, mine: EMPTY, theirs: EMPTY, accepted: null, peerAccepted: null, settling: null });
  },
  /** New terms from the other side: every acceptance so far is void. */
  tradeTerms(s, m, ctx) {
    const trade = tradeOf(s);
    if (!fromPeer(trade, m) || trade.settling || (m.v as number) <= trade.theirs.v) return;
    const theirs: Side = { items: (m.goods as Ref[]) ?? [], coins: typeof m.coins === 'number' ? m.coins : 0, v: m.v as number };
    ctx.tell(ctx.self, `${displayName(trade.with)} now offers ${goodsLine(theirs, ctx)}.${trade.accepted ? ' Your acceptance no longer stands.' : ''}`);
    return withTrade(s, { ...trade, theirs, accepted: null, peerAccepted: null });
  },
  tradeAccept(s, m, ctx) {
    const trade = tradeOf(s);
    if (!fromPeer(trade, m) || trade.settling) return;
    const terms = termsOf(m);
    if (terms[0] !== trade.theirs.v || terms[1] !== trade.mine.v) return; // stale: the terms moved on
    ctx.tell(ctx.self, `${displayName(trade.with)} accepts ${goodsLine(trade.theirs, ctx)} for ${goodsLine(trade.mine, ctx)}.${trade.accepted ? '' : ' Type "accept" to agree.'}`);
    return maybeCommit(s, { ...trade, peerAccepted: terms }, ctx);
  },
  /** At the decider: commit if it still accepts exactly these terms; the same answer to a commit asked again. */
  tradeCommit(s, m, ctx) {
    const peer = m.from as Ref;
    const id = m.trade as string;
    const terms = termsOf(m);
    const answer = (ok: boolean) => ctx.send(peer, { type: 'tradeSettled', from: ctx.self, trade: id, terms: [terms[1], terms[0]], ok });
    const before = decisionsOf(s).find((d) => d.with === peer && d.id === id);
    if (before) return answer(before.ok);
    const trade = tradeOf(s);
    const ours = trade?.id === id && trade.with === peer ? trade : null;
    const ok = !!ours && same(ours.accepted, terms) && same(terms, [ours.mine.v, ours.theirs.v]);
    answer(ok);
    const decision: Decision = { with: peer, id, ok };
    if (ok) {
      handOver(ours!, ctx);
      done(ours!, ctx);
      return decided(withTrade(s, null), decision);
    }
    if (!ours) return decided(s, decision);
    ctx.tell(ctx.self, `The trade with ${displayName(peer)} fell through: the terms changed as it was agreed. Nothing changed hands.`);
    return decided(unwind(s, ours), decision);
  },
  /** At the preparer: the decision. */
  tradeSettled(s, m, ctx) {
    const trade = tradeOf(s);
    if (!fromPeer(trade, m) || !trade.settling || !same(termsOf(m), [trade.mine.v, trade.theirs.v])) return;
    ctx.cancel(trade.settling);
    if (m.ok === true) {
      handOver(trade, ctx);
      done(trade, ctx);
      return withTrade(s, null);
    }
    ctx.tell(ctx.self, `The trade with ${displayName(trade.with)} fell through: the terms changed as it was agreed. Nothing changed hands.`);
    return unwind(s, trade);
  },
  /** The preparer heard nothing: it asks again (the decider answers as it decided). */
  tradeRetry(s, m, ctx) {
    const trade = tradeOf(s);
    if (!trade?.settling) return;
    const terms = termsOf(m);
    ctx.send(trade.with, { type: 'tradeCommit', from: ctx.self, trade: trade.id, terms: [terms[1], terms[0]] });
    return withTrade(s, { ...trade, settling: ctx.after(TRADE_RETRY_MS, { type: 'tradeRetry', terms }) });
  },
  /** The other side walked away (or was busy): this side takes its goods back, unless it is settling. */
  tradeEnd(s, m, ctx) {
    const trade = tradeOf(s);
    if (!fromPeer(trade, m) || trade.settling) return;
    ctx.tell(ctx.self, `${displayName(trade.with)} calls off the trade. You take back ${goodsLine(trade.mine, ctx)}.`);
    return unwind(s, trade);
  },
};

/** Leaving the game calls off a trade that is not being settled. */
export function leaveTrade(s: PlayerState, ctx: TurnCtx): PlayerState {
  const trade = tradeOf(s);
  if (!trade || trade.settling) return s;
  ctx.send(trade.with, { type: 'tradeEnd', from: ctx.self, trade: trade.id });
  return unwind(s, trade);
}

/** Whether the player is in a trade (no fights meanwhile: a death would scatter the goods). */
export const trading = (s: PlayerState): boolean => !!tradeOf(s);
