// market: pairs of traders in the default world's Lantern Market buy and sell
// at Pell's stall and trade with each other (issue 22), while a crowd plays in
// the plaza next door. Each trader starts with brass tokens lying in the market
// (bench/market-world.ts) and sells one for coins. A round of a pair is one
// trade, a token for a coin when the payer has one (a token for a token
// otherwise: a trade is a two-phase commit across two player objects either
// way), then each trader buys a token back with two coins or sells one when it
// has more than one (bench/market-traders.ts). Figures: trades/s, p50/p99 from
// `trade <name>` to both sides told it is done, trades that fell through or
// timed out, purchases and sales per second, the crowd's commands per second,
// and the audit of the stopped server's store: every item held exactly once,
// every coin accounted for (0 created or lost is the target). One gateway here;
// bench/market-gateways.ts puts each pair's two traders on two gateways.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { FileStore } from '../store/file-store.js';
import { RESULTS_DIR } from './bench-world.js';
import { botName, closeAll, loginBots } from './bots.js';
import { ServerProcess } from './server-process.js';
import { writeMarketWorld } from './market-world.js';
import { auditMarket, firstSales, MARKET_TARGETS, marketMetrics, marketWindow, quitAll, TOKENS_EACH, Trader } from './market-traders.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

/** After login: to the market, tokens in hand. */
export async function toMarket(c: TelnetClient): Promise<void> {
  await c.command('west', 60_000);
  for (let i = 0; i < TOKENS_EACH; i++) await c.command('take token', 60_000);
}

export const market: Scenario = {
  name: 'market',
  modes: ['in-process', 'actor', 'function'],
  smokeModes: ['in-process'],
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
    try {
      opts.progress(`market ${mode}: ${traders} traders to the market, each with ${TOKENS_EACH} tokens`);
      clients = await loginBots(server.telnetPort, traders, { concurrency: 25, progress: (n) => opts.progress(`market ${mode}: ${n} traders in`), then: toMarket });
      const group = clients.map((c, i) => new Trader(c, botName(i)));
      const openingRefused = await firstSales(group);
      crowd = await loginBots(server.telnetPort, crowdSize, { concurrency: 25, first: traders });
      const window = await marketWindow(group, crowd, opts);
      await quitAll([...clients, ...crowd]);
      await server.stop();
      const store = await FileStore.open(dataDir);
      const audit = await auditMarket(store, worldDir).finally(() => store.close());
      return {
        metrics: marketMetrics(window, openingRefused, audit),
        targets: MARKET_TARGETS,
        setup: { traders, crowd: crowdSize, nodes: mode === 'in-process' ? 0 : nodes, tokensEach: TOKENS_EACH, store: 'file', gateways: 1, audited: audit.records, load: loadAverage(), firstErrors: [...audit.items, ...audit.coins].slice(0, 3).join('; ') },
      };
    } finally {
      closeAll([...clients, ...crowd]);
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
