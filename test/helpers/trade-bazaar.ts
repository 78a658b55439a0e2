import { readRecords, type StoredRecord } from '../../ops/item-audit.js';
import type { StateStore } from '../../store/state-store.js';
import { waitUntil } from './nats-server.js';
import { APPLIED_AGAIN_LINE } from '../../world/core/applied-again.js';
import type { TelnetClient } from '../../portal/telnet/telnet-client.js';

// Pairs of traders swapping one brass token each, round after round, for the
// trade tests under crashes (test/trade-crash.test.ts, test/trade-gateways.test.ts).

export const PAIRS = 6;
export const NAMES = Array.from({ length: PAIRS * 2 }, (_, i) => `trader${String.fromCharCode(97 + i)}`);

/** A square with one token per trader. */
export function bazaar(): string {
  const tokens = NAMES.map((_, i) => `  token${i}: { kind: item, name: a brass token, keywords: [token, brass], description: Brass., respawn: never }`).join('\n');
  return `world: { name: Bazaar, start: square }
rooms:
  square: { name: The Square, description: Traders everywhere., items: [${NAMES.map((_, i) => `token${i}`).join(', ')}] }
items:
${tokens}
`;
}

/** One round of a pair: a opens, both put up their token, both accept. */
const ROUND = (a: string, b: string): Array<[string, string]> => [[a, `trade ${b}`], [a, 'offer token'], [b, 'offer token'], [a, 'accept'], [b, 'accept']];

/** Plays one ROUND through `command` (who, line -> the answer) and resolves with how many answers said
 *  the trade is done. An offer refused (the token of the pair's last trade not back yet, or that trade
 *  still settling) makes `a` cancel the round: accepted as it stands, it would be a one-sided trade, a fair
 *  gift that the count of one token each would read as a loss (a CI run ended 2 and 0 that way). */
export async function playRound(a: string, b: string, command: (who: string, line: string) => Promise<string>): Promise<number> {
  let done = 0;
  for (const [who, line] of ROUND(a, b)) {
    const answer = await command(who, line);
    if (line === 'offer token' && !/You offer/.test(answer)) {
      await command(a, 'cancel');
      return done;
    }
    if (/is done/.test(answer)) done += 1;
  }
  return done;
}

interface TradeState { settling?: string | null; mine?: { items?: string[] } }

/** Each trader's tokens, in hand or set aside, once no trade is mid-settlement. */
export async function tokensWhenSettled(store: StateStore): Promise<Map<string, number>> {
  let records = await readRecords(store);
  const settling = () => [...records].filter(([k, r]) => k.startsWith('player/') && (r.state?.trade as TradeState | null | undefined)?.settling);
  await waitUntil(async () => {
    records = await readRecords(store);
    return settling().length === 0;
  }, 20_000, () => `still settling: ${settling().map(([k]) => k).join(', ')}`);
  const tokens = new Map<string, number>();
  for (const name of NAMES) {
    const r: StoredRecord | undefined = records.get(`player/${name}`);
    const held = [...(r?.state?.inventory ?? []), ...(r?.state?.trade?.mine?.items ?? [])].filter((i) => i.startsWith('item/token'));
    tokens.set(name, held.length);
  }
  return tokens;
}


/** Asks each trader how their trade stands until none is being settled (a preparer that never heard
 *  the decision, after a crash, asks again on its durable timer). */
export async function untilSettled(clients: ReadonlyMap<string, TelnetClient>, timeoutMs = 20_000): Promise<void> {
  let left: string[] = [];
  await waitUntil(async () => {
    left = [];
    for (const [n, c] of clients) if (/being settled/.test(await c.command('trade'))) left.push(n);
    return left.length === 0;
  }, timeoutMs, () => `still being settled: ${left.join(', ')}`);
}

/** Every trader ends with exactly one token. On failure the message carries, per trader, the tokens
 *  held and set aside and the whole trade state, and each token's record: a rare failure replays
 *  from what it printed, not from a rerun. */
export async function expectOneTokenEach(store: StateStore): Promise<void> {
  const tokens = await tokensWhenSettled(store);
  if ([...tokens.values()].every((n) => n === 1)) return;
  const records = await readRecords(store);
  const traders = NAMES.map((n) => {
    const record = records.get(`player/${n}`);
    const state = record?.state;
    const inventory = (state?.inventory ?? []).filter((i) => i.startsWith('item/token'));
    return `${n}: ${tokens.get(n)} token(s), inventory ${JSON.stringify(inventory)}, trade ${JSON.stringify(state?.trade ?? null)}, last applied ${JSON.stringify(record?.recent?.slice(-4) ?? [])}`;
  });
  const items = [...records].filter(([k]) => k.startsWith('item/token')).map(([k, r]) => `${k}: ${JSON.stringify(r.state)}`);
  throw new Error(`tokens per trader ${JSON.stringify([...tokens.values()])}, expected one each\n${traders.join('\n')}\n${items.join('\n')}`);
}

/** Each pair's two sides have been told of as many trades done with each other (waited for: the last
 *  settlement's word to one side may still be on its way): no trade one side saw done and the other did
 *  not. `lines` are what each player (`player/<name>`) was told. One exception, by design: a turn whose node
 *  died after its write landed and before it answered is found applied when tried again, and the lines it
 *  showed are not kept (world/core/turn.ts keeps only what a retry must not lose); the player whose command
 *  the chain came from is told so instead (APPLIED_AGAIN_LINE). A pair told unevenly passes only with that
 *  line to one of its two players; the goods are checked apart (expectOneTokenEach, the conservation audit). */
export async function expectBothSidesTold(lines: ReadonlyMap<string, readonly string[]>, timeoutMs = 10_000): Promise<void> {
  const all = (who: string) => lines.get(`player/${who}`) ?? [];
  const told = (who: string, peer: string) => all(who).filter((l) => new RegExp(`^The trade with ${peer} is done`, 'i').test(l)).length;
  const toldLost = (who: string) => all(who).some((l) => l.includes(APPLIED_AGAIN_LINE));
  let uneven: string[] = [];
  await waitUntil(async () => {
    uneven = [];
    for (let p = 0; p < PAIRS; p++) {
      const [a, b] = [NAMES[2 * p], NAMES[2 * p + 1]];
      const [ab, ba] = [told(a, b), told(b, a)];
      if (ab !== ba && !toldLost(a) && !toldLost(b)) uneven.push(`${a} was told of ${ab} trades done with ${b}, ${b} of ${ba}`);
    }
    return uneven.length === 0;
  }, timeoutMs, () => uneven.join('; '));
}
