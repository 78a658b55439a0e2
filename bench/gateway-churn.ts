// gateway-churn (issue 21 item 4): does a gateway joining or leaving the
// cluster stall play? Two `mud serve --store nats` gateways share the shipped
// plaza's closed-loop bots (look / say / east / west), then a third gateway
// joins and, later, leaves (SIGTERM, as an operator stops one). Three windows
// with the same bots: steady, one open from the join's start until every
// gateway sees the joiner (at least as long as the steady one), and the same
// for the leave; p99 of each change over the steady window's, and whether
// every command was answered.

import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { closeAll, loginBots } from './bots.js';
import { measureClosedLoop, outAndBack, type WindowMeter } from './closed-loop.js';
import { ClusterRig, type RigGateway } from './cluster-rig.js';
import { PLAZA_HOME } from './shipped-world.js';
import { loadAverage, sleep, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

const NODES = 2;
const STEADY_GATEWAYS = 2;
const JOINER = 'gw-join';

export const gatewayChurn: Scenario = {
  name: 'gateway-churn',
  modes: ['actor', 'function'],
  smokeModes: ['function'],
  about: 'shipped, over NATS: 200 bots in the plaza on 2 gateways; a third gateway joins, then leaves; p99 during each change over steady',
  async run(mode: BenchMode, opts: BenchOptions) {
    const bots = opts.size ?? (opts.smoke ? 8 : 200);
    const rig = await ClusterRig.start({ mode, world: DEFAULT_WORLD, nodes: opts.nodes ?? (opts.smoke ? 1 : NODES) });
    const clients: TelnetClient[] = [];
    try {
      for (let g = 1; g <= STEADY_GATEWAYS; g++) await rig.addGateway(`gw-${g}`);
      const steady = [...rig.gateways];
      for (const [g, gw] of steady.entries()) {
        const n = Math.floor(bots / STEADY_GATEWAYS) + (g < bots % STEADY_GATEWAYS ? 1 : 0);
        opts.progress(`gateway-churn ${mode}: ${n} guests at ${gw.id}`);
        clients.push(...(await loginBots(gw.telnetPort, n, { concurrency: 50, guests: true, first: clients.length })));
      }
      const cluster = { status: () => rig.status(steady[0]), cpuMicros: async () => [...rig.gateways, ...rig.nodes].reduce((n, p) => n + rig.cpuMicros(p), 0) };
      const window = (meters: WindowMeter[]) => measureClosedLoop(clients, outAndBack(clients.length, () => PLAZA_HOME), cluster, opts, { meters });
      opts.progress(`gateway-churn ${mode}: steady window`);
      const before = await window([]);
      opts.progress(`gateway-churn ${mode}: ${JOINER} joins`);
      const joined = await window([change('join', async () => {
        await rig.addGateway(JOINER);
        await seenBy(rig, steady, STEADY_GATEWAYS + 1);
      })]);
      opts.progress(`gateway-churn ${mode}: ${JOINER} leaves`);
      const joiner = rig.gateways.find((g) => g.id === JOINER);
      const left = await window([change('leave', async () => {
        if (joiner) await rig.removeGateway(joiner);
        await seenBy(rig, steady, STEADY_GATEWAYS);
      })]);
      const metrics: Record<string, number> = {};
      for (const [name, m] of Object.entries({ steady: before, join: joined, leave: left })) {
        for (const k of ['commandsPerSec', 'p50Ms', 'p99Ms', 'maxMs', 'errors', 'refused', 'changeMs']) if (k in m) metrics[`${name}.${k}`] = m[k];
      }
      metrics['join.p99VsSteady'] = metrics['join.p99Ms'] / Math.max(metrics['steady.p99Ms'], 1e-3);
      metrics['leave.p99VsSteady'] = metrics['leave.p99Ms'] / Math.max(metrics['steady.p99Ms'], 1e-3);
      metrics.errors = metrics['steady.errors'] + metrics['join.errors'] + metrics['leave.errors'];
      return {
        metrics,
        targets: [
          { metric: 'join.p99VsSteady', op: '<=', value: 3, label: 'p99 while a gateway joins <= 3x steady' },
          { metric: 'leave.p99VsSteady', op: '<=', value: 3, label: 'p99 while a gateway leaves <= 3x steady' },
          { metric: 'errors', op: '==', value: 0, label: 'every command answered' },
        ],
        setup: {
          kind: 'cluster', server: 'mud serve --store nats (own processes)', world: 'default', bots, gateways: `${STEADY_GATEWAYS} (+1 joining, then leaving)`,
          nodes: opts.nodes ?? (opts.smoke ? 1 : NODES), store: 'nats-kv', nats: '1 nats-server', logins: 'guests', loop: 'closed', rateLimit: 'lifted', load: loadAverage(),
        },
      };
    } finally {
      closeAll(clients);
      await rig.close();
    }
  },
};

/** A membership change started as the window opens, which stays open until the change is done. */
function change(name: string, act: () => Promise<void>): WindowMeter {
  let done: Promise<number> = Promise.resolve(0);
  return {
    start: async () => {
      const t0 = performance.now();
      done = act().then(() => performance.now() - t0, (err: unknown) => {
        throw new Error(`gateway ${name}: ${err instanceof Error ? err.message : String(err)}`);
      });
      done.catch(() => undefined);
    },
    settled: async () => {
      await done.catch(() => undefined);
    },
    stop: async () => ({ changeMs: await done }),
  };
}

/** Until every steady gateway's status lists `count` gateways (the change is seen everywhere). */
async function seenBy(rig: ClusterRig, gateways: RigGateway[], count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await Promise.all(gateways.map(async (g) => (await rig.status(g)).gateways?.length ?? 0));
    if (rows.every((n) => n === count)) return;
    if (Date.now() > deadline) throw new Error(`gateways saw ${rows.join('/')} gateways, not ${count}, after 30 s`);
    await sleep(100);
  }
}
