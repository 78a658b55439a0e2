import type { WorldDefinition } from '../world/files/world-def.js';
import type { Msg, Ref } from '../world/core/types.js';
import { outboxOf, type StoredRecord } from './item-audit.js';
import { carriesCoins } from '../world/core/protocol.js';
import { neverApplied } from './never-applied.js';

// The coin audit: money is conserved like items (world/core/coins.ts). Coins are
// made only by the world's declared sources (a creature's purse in the world
// files, filled again at each return from death and counted in its `minted`),
// so at rest every coin some holder has adds up to exactly what was made. A
// crash can leave coins in a message: its sender committed letting go of them,
// its receiver never applied it. Recovery delivers such a message again when it
// can prove its receiver never applied it (the receiver applies a message id at
// most once either way) and the coins it carries make up the shortfall.

type CoinRecord = StoredRecord;

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Coins a player has set aside in a trade (world/kinds/player-trade.ts): still theirs until it settles. */
const escrowed = (state: CoinRecord['state']): number => count(state?.trade?.mine?.coins);

export interface CoinLedger {
  /** Every coin the world's sources have made: the world files' purses and each refill since. */
  minted: number;
  /** Every coin some holder has now. */
  held: number;
}

export function coinLedger(records: ReadonlyMap<Ref, CoinRecord>, world: WorldDefinition): CoinLedger {
  let minted = 0;
  let held = 0;
  for (const [ref, item] of Object.entries(world.items)) {
    const purse = count(item.props.coins);
    minted += purse;
    // A creature never touched still has the purse it was made with.
    if (!records.has(ref)) held += purse;
  }
  for (const record of records.values()) {
    minted += count(record.state?.minted);
    held += count(record.state?.coins) + escrowed(record.state);
  }
  return { minted, held };
}

/** The coin audit's finding, empty when every coin made is held by someone. */
export function coinErrors(records: ReadonlyMap<Ref, CoinRecord>, world: WorldDefinition): string[] {
  const { minted, held } = coinLedger(records, world);
  return minted === held ? [] : [`coins: ${minted} made by the world, ${held} held (${held > minted ? 'made from nothing' : 'lost'}: ${Math.abs(minted - held)})`];
}

/** After a crash: the coin messages to deliver again so the coins held add up to the coins made. */
export function strandedCoins(records: ReadonlyMap<Ref, CoinRecord>, world: WorldDefinition): { resend: Array<{ to: Ref; msg: Msg }>; unresolved: string[] } {
  const { minted, held } = coinLedger(records, world);
  const missing = minted - held;
  if (missing === 0) return { resend: [], unresolved: [] };
  if (missing < 0) return { resend: [], unresolved: [`coins: ${-missing} more held than the world made`] };
  const candidates: Array<{ to: Ref; msg: Msg; at: number }> = [];
  for (const record of records.values()) {
    for (const [, effects, at] of outboxOf(record)) {
      for (const e of effects) {
        if (e.t === 'send' && carriesCoins(e.msg) && neverApplied(records.get(e.to), e.msg.id, at)) candidates.push({ to: e.to, msg: e.msg, at: at ?? 0 });
      }
    }
  }
  const resend: Array<{ to: Ref; msg: Msg }> = [];
  let found = 0;
  for (const c of candidates.sort((a, b) => b.at - a.at)) {
    const n = c.msg.coins as number;
    if (found + n > missing) continue;
    resend.push({ to: c.to, msg: c.msg });
    found += n;
  }
  return found === missing ? { resend, unresolved: [] } : { resend: [], unresolved: [`coins: ${missing} missing, messages found for ${found}`] };
}
