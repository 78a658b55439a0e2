// market: pairs of traders in the default world's Lantern Market buy and sell
// at Pell's stall and trade with each other (issue 22), while a crowd plays in
// the plaza next door. Each trader starts with brass tokens lying in the market
// (bench/market-world.ts) and sells one for coins. A round of a pair is one
// trade, a token for a coin when the payer has one (a token for a token
// otherwise: a trade is a two-phase commit across two player objects either
// way), then each trader buys a token back with two coins or sells one when it
// has more than one. Figures: trades/s, p50/p99 from `trade <name>` to both
// sides told it is done, trades that fell through or timed out, purchases and
// sales per second, the crowd's commands per second, and the audit of the
// stopped server's store: every item held exactly once, every coin accounted
// for (0 created or lost is the target).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { Histogram } from '../support/histogram.js';
import { FileStore } from '../store/file-store.js';
import { itemHolders, readRecords } from '../ops/item-audit.js';
import { coinErrors } from '../ops/coin-audit.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { RESULTS_DIR } from './bench-world.js';
import { botName, closeAll, loginBots } from './bots.js';
import { ServerProcess } from './server-process.js';
import { writeMarketWorld } from './market-world.js';
import { loadAverage, sleep, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

const TOKENS_EACH = 3;
const TRADE_WAIT_MS = 15_000;
const DONE = /The trade with \w+ is done/;
const FAILED = /fell through|calls off the trade|is busy|You are already trading|not trading with anyone|There is no one|isn't here|Nothing is on the table/;

/** One trader as the bench keeps it: what it holds (as its answers told), and its next trade's ending. */
class Trader {
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

interface Counts { trades: number; aborted: number; buys: number; sells: number; crowd: number }

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
    if (t.coins >= 2 && /^You buy /m.test(await t.say('buy token'))) {
      [t.coins, t.tokens] = [t.coins - 2, t.tokens + 1];
      if (counting()) counts.buys += 1;
    } else if (t.tokens > 1 && /^You sell /m.test(await t.say('sell token'))) {
      [t.coins, t.tokens] = [t.coins + 1, t.tokens - 1];
      if (counting()) counts.sells += 1;
    }
  }
}

export const market: Scenario = {
  name: 'market',
  modes: ['in-process', 'actor', 'function'],
  about: 'traders in pairs buy, sell and trade in the Lantern Market while a crowd plays next door: trades/s, p99, aborted, audit (items and coins)',
  async run(mode: BenchMode, opts: BenchOptions) {
    const traders = 2 * Math.max(1, Math.floor((opts.size ?? (opts.smoke ? 4 : 200)) / 2));
    const crowdSize = opts.smoke ? 4 : traders;
    const nodes = opts.nodes ?? (opts.smoke ? 2 : 3);
    const worldDir = await writeMarketWorld(join(RESULTS_DIR, 'worlds', `market-${traders}`), traders, TOKENS_EACH);
    const dataDir = await mkdtemp(join(tmpdir(), 'mud-bench-market-'));
    const server = await ServerProcess.start({ world: worldDir, dispatch: mode, nodes: mode === 'in-process' ? 0 : nodes, store: 'file', dataDir, profileDir: opts.profileDir });
    let clients: TelnetClient[] = [];
    let crowd: TelnetClient[] = [];
    let running = true;
    try {
      opts.progress(`market ${mode}: ${traders} traders to the market, each with ${TOKENS_EACH} tokens`);
      clients = await loginBots(server.telnetPort, traders, {
        concurrency: 25, progress: (n) => opts.progress(`market ${mode}: ${n} traders in`),
        then: async (c) => {
          await c.command('west', 60_000);
          for (let i = 0; i < TOKENS_EACH; i++) await c.command('take token', 60_000);
        },
      });
      const group = clients.map((c, i) => new Trader(c, botName(i)));
      for (const t of group) {
        t.tokens = TOKENS_EACH;
        if (/^You sell /m.test(await t.say('sell token'))) [t.coins, t.tokens] = [t.coins + 1, t.tokens - 1];
      }
      crowd = await loginBots(server.telnetPort, crowdSize, { concurrency: 25, first: traders });
      const counts: Counts = { trades: 0, aborted: 0, buys: 0, sells: 0, crowd: 0 };
      const latency = new Histogram();
      let counting = false;
      const crowdLoops = crowd.map(async (c) => {
        for (let k = 0; running; k++) {
          await c.command(['say hello', 'east', 'west', 'look'][k % 4], 60_000);
          if (counting) counts.crowd += 1;
        }
      });
      const pairLoops = Array.from({ length: traders / 2 }, async (_, p) => {
        const [a, b] = [group[2 * p], group[2 * p + 1]];
        for (let k = 0; running; k++) await (k % 2 === 0 ? round(a, b, counts, latency, () => counting) : round(b, a, counts, latency, () => counting));
      });
      await sleep(opts.smoke ? 300 : 1_000); // every loop under way
      counting = true;
      const started = performance.now();
      await sleep(opts.duration * 1000);
      const seconds = (performance.now() - started) / 1000;
      counting = false;
      running = false;
      await Promise.all([...pairLoops, ...crowdLoops]);
      for (const c of [...clients, ...crowd]) c.send('quit');
      await Promise.all([...clients, ...crowd].map((c) => c.waitClosed(30_000).catch(() => c.close())));
      await server.stop();
      const audit = await auditStore(dataDir, worldDir);
      return {
        metrics: {
          tradesPerSec: counts.trades / seconds, p50TradeMs: latency.quantile(0.5) / 1000, p99TradeMs: latency.quantile(0.99) / 1000,
          aborted: counts.aborted, buysPerSec: counts.buys / seconds, sellsPerSec: counts.sells / seconds, crowdCmdsPerSec: counts.crowd / seconds,
          itemErrors: audit.items.length, coinErrors: audit.coins.length, lostOrMade: audit.items.length + audit.coins.length,
        },
        targets: [
          { metric: 'lostOrMade', op: '==', value: 0, label: 'no item or coin created or lost (audited after)' },
          { metric: 'aborted', op: '==', value: 0, label: 'no trade falls through between willing traders' },
        ],
        setup: { traders, crowd: crowdSize, nodes: mode === 'in-process' ? 0 : nodes, tokensEach: TOKENS_EACH, store: 'file', gateways: 1, load: loadAverage(), firstErrors: [...audit.items, ...audit.coins].slice(0, 3).join('; ') },
      };
    } finally {
      running = false;
      closeAll([...clients, ...crowd]);
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

/** Items held other than once, and coin totals that do not add up, in the stopped server's store. */
async function auditStore(dataDir: string, worldDir: string): Promise<{ items: string[]; coins: string[] }> {
  const store = await FileStore.open(dataDir);
  try {
    const world = await loadLiveWorld(worldDir);
    const records = await readRecords(store);
    const items = [...itemHolders(records, world.definition)].filter(([, where]) => where.length !== 1).map(([item, where]) => `${item} is held by ${where.length ? where.join(', ') : 'nobody'}`);
    return { items, coins: coinErrors(records, world.definition) };
  } finally {
    await store.close();
  }
}
