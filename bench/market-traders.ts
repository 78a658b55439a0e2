// The market bench's traders (bench/market.ts, bench/market-gateways.ts): pairs
// in the Lantern Market who trade with each other and buy and sell at Pell's
// stall, a crowd playing next door meanwhile, and the audit of the store after.

import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { Histogram } from '../support/histogram.js';
import { itemHolders, readRecords } from '../ops/item-audit.js';
import { coinErrors } from '../ops/coin-audit.js';
import type { StateStore } from '../store/state-store.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { sleep, type BenchOptions } from './scenario.js';
import { TOKEN_VALUE } from './market-world.js';

/** Brass tokens each trader picks up in the market (bench/market-world.ts). */
export const TOKENS_EACH = 3;

const TRADE_WAIT_MS = 15_000;
const DONE = /The trade with \w+ is done/;
const FAILED = /fell through|calls off the trade|is busy|You are already trading|not trading with anyone|There is no one|isn't here|Nothing is on the table/;

/** One trader as the bench keeps it: what it holds (as its answers told), and its next trade's ending. */
export class Trader {
  coins = 0;
  tokens = 0;
  private ending: ((outcome: 'done' | 'failed') => void) | undefined;

  constructor(readonly c: TelnetClient, readonly name: string) {
    c.socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (DONE.test(text)) this.end('done');
      else if (FAILED.test(text)) this.end('failed');
    });
  }

  /** Resolves when this side hears its trade done or failed (or the wait runs out). */
  awaitTrade(): Promise<'done' | 'failed' | 'timeout'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.end('timeout' as 'failed'), TRADE_WAIT_MS);
      this.ending = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
    });
  }

  private end(outcome: 'done' | 'failed'): void {
    const ending = this.ending;
    this.ending = undefined;
    ending?.(outcome);
  }

  async say(line: string): Promise<string> {
    return this.c.command(line, 60_000);
  }
}

/** What a window counted: trades done and fallen through, purchases and sales at Pell's and those he refused
 *  (nothing of the kind for sale; no room or no coins for what is offered), the crowd's commands. */
export interface Counts { trades: number; aborted: number; buys: number; sells: number; buysRefused: number; sellsRefused: number; crowd: number }

/** One round of a pair: a trade (payer gives a coin, or a token if it has no coin, for the seller's token), then the shop. */
async function round(payer: Trader, seller: Trader, counts: Counts, latency: Histogram, counting: () => boolean): Promise<void> {
  if (seller.tokens > 0 && (payer.coins > 0 || payer.tokens > 0)) {
    const withCoin = payer.coins > 0;
    const started = performance.now();
    const ends = Promise.all([payer.awaitTrade(), seller.awaitTrade()]);
    await payer.say(`trade ${seller.name}`);
    await payer.say(withCoin ? 'offer 1 coins' : 'offer token');
    await seller.say('offer token');
    await payer.say('accept');
    await seller.say('accept');
    const [a, b] = await ends;
    if (a === 'done' && b === 'done') {
      if (counting()) {
        counts.trades += 1;
        latency.recordMs(performance.now() - started);
      }
      if (withCoin) [payer.coins, seller.coins, payer.tokens, seller.tokens] = [payer.coins - 1, seller.coins + 1, payer.tokens + 1, seller.tokens - 1];
    } else {
      if (counting()) counts.aborted += 1;
      // Whatever stood is called off, so the next round starts clean (a settled trade ignores it).
      await payer.say('cancel');
      await seller.say('cancel');
    }
  }
  for (const t of [payer, seller]) {
    const bought = t.coins >= TOKEN_VALUE && /^You buy /m.test(await t.say('buy token'));
    if (bought) [t.coins, t.tokens] = [t.coins - TOKEN_VALUE, t.tokens + 1];
    else if (t.coins >= TOKEN_VALUE && counting()) counts.buysRefused += 1;
    const sold = !bought && t.tokens > 1 && /^You sell /m.test(await t.say('sell token'));
    if (sold) [t.coins, t.tokens] = [t.coins + 1, t.tokens - 1];
    else if (!bought && t.tokens > 1 && counting()) counts.sellsRefused += 1;
    if (counting()) [counts.buys, counts.sells] = [counts.buys + Number(bought), counts.sells + Number(sold)];
  }
}

/** In the market with their tokens (after `west` and the takes), each trader sells one for its first coins;
 *  resolves with how many of those sales Pell refused (a trader refused starts with no coins). */
export async function firstSales(group: Trader[]): Promise<number> {
  let refused = 0;
  for (const t of group) {
    t.tokens = TOKENS_EACH;
    if (/^You sell /m.test(await t.say('sell token'))) [t.coins, t.tokens] = [t.coins + 1, t.tokens - 1];
    else refused += 1;
  }
  return refused;
}

/** Pairs of `group` (0 with 1, 2 with 3, ...) trade and shop while `crowd` plays in the plaza, for the measured window. */
export async function marketWindow(group: Trader[], crowd: TelnetClient[], opts: BenchOptions): Promise<{ counts: Counts; latency: Histogram; seconds: number }> {
  const counts: Counts = { trades: 0, aborted: 0, buys: 0, sells: 0, buysRefused: 0, sellsRefused: 0, crowd: 0 };
  const latency = new Histogram();
  let counting = false;
  let running = true;
  const crowdLoops = crowd.map(async (c) => {
    for (let k = 0; running; k++) {
      await c.command(['say hello', 'east', 'west', 'look'][k % 4], 60_000);
      if (counting) counts.crowd += 1;
    }
  });
  const pairLoops = Array.from({ length: Math.floor(group.length / 2) }, async (_, p) => {
    const [a, b] = [group[2 * p], group[2 * p + 1]];
    for (let k = 0; running; k++) await (k % 2 === 0 ? round(a, b, counts, latency, () => counting) : round(b, a, counts, latency, () => counting));
  });
  try {
    await sleep(opts.smoke ? 300 : 1_000); // every loop under way
    counting = true;
    const started = performance.now();
    await sleep(opts.duration * 1000);
    const seconds = (performance.now() - started) / 1000;
    counting = false;
    return { counts, latency, seconds };
  } finally {
    running = false;
    await Promise.all([...pairLoops, ...crowdLoops]);
  }
}

/** The figures of a window, the opening sales Pell refused, and the audit's. */
export function marketMetrics(w: { counts: Counts; latency: Histogram; seconds: number }, openingRefused: number, audit: { items: string[]; coins: string[] }): Record<string, number> {
  const { counts, latency, seconds } = w;
  return {
    tradesPerSec: counts.trades / seconds, p50TradeMs: latency.quantile(0.5) / 1000, p99TradeMs: latency.quantile(0.99) / 1000,
    aborted: counts.aborted, buysPerSec: counts.buys / seconds, sellsPerSec: counts.sells / seconds, crowdCmdsPerSec: counts.crowd / seconds,
    openingRefused, buysRefusedPerSec: counts.buysRefused / seconds, sellsRefusedPerSec: counts.sellsRefused / seconds,
    itemErrors: audit.items.length, coinErrors: audit.coins.length, lostOrMade: audit.items.length + audit.coins.length,
  };
}

export const MARKET_TARGETS = [
  { metric: 'lostOrMade', op: '==' as const, value: 0, label: 'no item or coin created or lost (audited after)' },
  { metric: 'aborted', op: '==' as const, value: 0, label: 'no trade falls through between willing traders' },
];

/** Sends every player away and waits until each connection closed. */
export async function quitAll(clients: TelnetClient[]): Promise<void> {
  for (const c of clients) c.send('quit');
  await Promise.all(clients.map((c) => c.waitClosed(30_000).catch(() => c.close())));
}

/** Items held other than once, and coin totals that do not add up, in a store nothing is writing to (and how many records it read). */
export async function auditMarket(store: StateStore, worldDir: string): Promise<{ items: string[]; coins: string[]; records: number }> {
  const world = await loadLiveWorld(worldDir);
  const records = await readRecords(store);
  const items = [...itemHolders(records, world.definition)].filter(([, where]) => where.length !== 1).map(([item, where]) => `${item} is held by ${where.length ? where.join(', ') : 'nobody'}`);
  return { items, coins: coinErrors(records, world.definition), records: records.size };
}
