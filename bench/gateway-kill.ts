// gwkill: the party over two gateways (players with accounts), and gateway 2
// killed with -9 in the middle of it. Its players' connections drop; half of them log in again at
// gateway 1 at once (how long until each is back), the other half never come
// back: they must not stay standing in the plaza as ghosts (how many are left
// after the reaping deadline, read from the room's record in KV). The guests on
// gateway 1 must notice nothing but a blip: no emote they were answered for lost
// or delivered twice.

import { performance } from 'node:perf_hooks';
import { Histogram } from '../support/histogram.js';
import { NatsLink } from '../nats/nats-connection.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { silentLogger } from '../support/logger.js';
import { benchWorldDir } from './bench-world.js';
import { BOT_PASSWORD, botName, closeAll, inPool, loginBots } from './bots.js';
import { PartyBots } from './party-bots.js';
import { ClusterRig } from './cluster-rig.js';
import { loadAverage, sleep, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';
import { deliveryMetrics, PARTY_ROOM } from './party.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

/** Ghosts must be gone within this (the heartbeat timeout is 3 s, reaping follows). */
const GHOST_DEADLINE_MS = 10_000;

export const gatewayKill: Scenario = {
  name: 'gwkill',
  modes: ['actor', 'function'],
  smokeModes: ['function'],
  about: 'kill -9 of one of two gateways during the party: lost, duplicated, time until its players are back, ghosts left',
  async run(mode: BenchMode, opts: BenchOptions) {
    const guests = opts.size ?? (opts.smoke ? 12 : 400);
    const rate = opts.smoke ? 40 : 200;
    const rig = await ClusterRig.start({ mode, world: await benchWorldDir('default'), nodes: opts.nodes ?? 2 });
    const clients: TelnetClient[] = [];
    const back: TelnetClient[] = [];
    try {
      const [gw1, gw2] = [await rig.addGateway('gw-1'), await rig.addGateway('gw-2')];
      const half = Math.floor(guests / 2);
      // Players with accounts: a guest's name cannot be taken over (no password proves it is the same person).
      clients.push(...(await loginBots(gw1.telnetPort, half, { concurrency: 50 })));
      clients.push(...(await loginBots(gw2.telnetPort, guests - half, { concurrency: 50, first: half })));
      const bots = new PartyBots(clients);
      bots.start(rate);
      await sleep(opts.smoke ? 300 : 2000);
      bots.beginWindow();
      await sleep((opts.duration * 1000) / 2);
      // The kill: gateway 2's guests are gone from the party from this instant.
      const victims = Array.from({ length: guests - half }, (_, i) => half + i);
      bots.retire(victims);
      const killedAt = performance.now();
      await rig.kill9(gw2);
      // Half of them come back through gateway 1 at once; the rest never do.
      const returning = victims.filter((_, i) => i % 2 === 0);
      const backMs = new Histogram();
      await inPool(returning.length, 50, async (i) => {
        const c = await TelnetClient.open(gw1.telnetPort);
        back.push(c);
        await c.nextAnswer(30_000);
        const answer = await c.command(`connect ${botName(returning[i])} ${BOT_PASSWORD}`, 60_000);
        if (!answer.includes('Welcome')) throw new Error(`${botName(returning[i])} could not come back: ${answer.trim().slice(-200)}`);
        backMs.recordMs(performance.now() - killedAt);
      });
      await sleep((opts.duration * 1000) / 2);
      const seconds = bots.endWindow();
      await bots.stop(8000);
      const delivery = deliveryMetrics(bots.figures(false), seconds);
      // Ghosts: occupants of the plaza who have no session anywhere, once the deadline has passed.
      const live = half + returning.length;
      const ghostWait = Math.max(0, GHOST_DEADLINE_MS - (performance.now() - killedAt));
      await sleep(ghostWait);
      const occupants = await plazaOccupants(rig.url);
      return {
        metrics: {
          ...delivery, backP50Ms: backMs.quantile(0.5) / 1000, backMaxMs: backMs.max / 1000, returned: returning.length,
          stayedAway: victims.length - returning.length, occupants, ghosts: Math.max(0, occupants - live),
        },
        targets: [
          { metric: 'lost', op: '==' as const, value: 0, label: "no emote lost among the other gateway's players" },
          { metric: 'duplicated', op: '==' as const, value: 0, label: 'none delivered twice' },
          { metric: 'ghosts', op: '==' as const, value: 0, label: `no ghosts left ${GHOST_DEADLINE_MS / 1000} s after the kill` },
          { metric: 'backMaxMs', op: '<=' as const, value: 5000, label: "the killed gateway's players back within 5 s" },
        ],
        setup: { guests, emotesPerSec: rate, nodes: opts.nodes ?? 2, gateways: 2, store: 'nats-kv', load: loadAverage() },
      };
    } finally {
      closeAll(clients);
      closeAll(back);
      await rig.close();
    }
  },
};

/** How many players the plaza's record says are standing in it. */
async function plazaOccupants(url: string): Promise<number> {
  const link = await NatsLink.connect(url, { name: 'bench-gwkill', log: silentLogger() });
  try {
    const store = await NatsKvStore.open(link);
    const record = (await store.get(PARTY_ROOM))?.value as { state?: { occupants?: unknown[] } } | undefined;
    return record?.state?.occupants?.length ?? 0;
  } finally {
    await link.close();
  }
}
