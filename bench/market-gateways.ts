// market-gateways: the market bench (bench/market.ts) over a cluster: a
// nats-server, `mud node` processes and two `mud serve --store nats` gateways,
// each pair's two traders on different gateways (a trade between two homes),
// the crowd split between them. The same figures, and the audit read from the
// cluster's KV bucket once the gateways have stopped.

import { join } from 'node:path';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { NatsLink } from '../nats/nats-connection.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { silentLogger } from '../support/logger.js';
import { RESULTS_DIR } from './bench-world.js';
import { closeAll, guestName, loginBots } from './bots.js';
import { ClusterRig } from './cluster-rig.js';
import { writeMarketWorld } from './market-world.js';
import { toMarket } from './market.js';
import { auditMarket, firstSales, MARKET_TARGETS, marketMetrics, marketWindow, quitAll, TOKENS_EACH, Trader } from './market-traders.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

const GATEWAYS = 2;

export const marketGateways: Scenario = {
  name: 'market-gateways',
  modes: ['actor', 'function'],
  smokeModes: ['function'],
  about: 'the market bench with each pair\'s traders on two gateways over NATS: trades/s, p99, aborted, audit of the KV bucket',
  async run(mode: BenchMode, opts: BenchOptions) {
    const pairs = Math.max(1, Math.floor((opts.size ?? (opts.smoke ? 4 : 200)) / 2));
    const crowdSize = opts.smoke ? 4 : 2 * pairs;
    const nodes = opts.nodes ?? (opts.smoke ? 1 : 2);
    const worldDir = await writeMarketWorld(join(RESULTS_DIR, 'worlds', `market-${2 * pairs}`), 2 * pairs, TOKENS_EACH);
    const rig = await ClusterRig.start({ mode, world: worldDir, nodes, profileDir: opts.profileDir });
    const clients: TelnetClient[] = [];
    try {
      for (let g = 1; g <= GATEWAYS; g++) await rig.addGateway(`gw-${g}`);
      const [one, two] = rig.gateways;
      opts.progress(`market-gateways ${mode}: ${pairs} pairs, one trader of each at ${one.id} and one at ${two.id}`);
      const left = await loginBots(one.telnetPort, pairs, { concurrency: 25, guests: true, first: 0, then: toMarket });
      clients.push(...left);
      const right = await loginBots(two.telnetPort, pairs, { concurrency: 25, guests: true, first: pairs, then: toMarket });
      clients.push(...right);
      const group = left.flatMap((c, p) => [new Trader(c, guestName(p)), new Trader(right[p], guestName(pairs + p))]);
      const openingRefused = await firstSales(group);
      const half = Math.ceil(crowdSize / 2);
      const crowd = [
        ...(await loginBots(one.telnetPort, half, { concurrency: 25, guests: true, first: 2 * pairs })),
        ...(await loginBots(two.telnetPort, crowdSize - half, { concurrency: 25, guests: true, first: 2 * pairs + half })),
      ];
      clients.push(...crowd);
      const window = await marketWindow(group, crowd, opts);
      await quitAll(clients);
      for (const gw of [...rig.gateways]) await rig.removeGateway(gw);
      const link = await NatsLink.connect(rig.url, { name: 'market-audit', log: silentLogger() });
      const audit = await NatsKvStore.open(link, { bucket: 'mud' }).then((store) => auditMarket(store, worldDir)).finally(() => link.close());
      return {
        metrics: marketMetrics(window, openingRefused, audit),
        targets: MARKET_TARGETS,
        setup: {
          kind: 'cluster', traders: 2 * pairs, crowd: crowdSize, gateways: GATEWAYS, nodes, tokensEach: TOKENS_EACH, store: 'nats-kv', logins: 'guests',
          audited: audit.records, load: loadAverage(), firstErrors: [...audit.items, ...audit.coins].slice(0, 3).join('; '),
        },
      };
    } finally {
      closeAll(clients);
      await rig.close();
    }
  },
};
