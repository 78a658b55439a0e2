// raid: N bots in the Wyrm's Den attack the Lantern Wyrm, the default world's
// boss, with their fists: one write-hot object that every blow changes. Each
// bot's rounds run on its own timer (a blow every 2 s), so the wyrm takes about
// N/2 hits a second. Figures: hits/s the wyrm took, p99 hit latency (how late a
// blow lands past its round: the round's due time is 2 s after the wyrm's blow
// back reached the bot), CAS conflicts/s, node balance (max/mean ELU), and lost
// (damage the wyrm took that no bot was told of, or told of but not taken).

import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { Histogram } from '../support/histogram.js';
import { ROUND_MS } from '../world/kinds/combat.js';
import { benchWorldDir } from './bench-world.js';
import { closeAll, loginBots } from './bots.js';
import { sampleStatus } from './party.js';
import { startForMode } from './server-process.js';
import { loadAverage, sleep, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

const WYRM_HP = 20_000;
const HIT = /You hit the Lantern Wyrm with [^\n]* for (\d+)\. (?:It [^(\n]*\((\d+)\/\d+\)|It falls)/g;
const STRUCK = /The Lantern Wyrm hits you for \d+/g;

/** What one bot hears of its fight, from the raw socket. */
class RaidEar {
  damage = 0;
  hits = 0;
  minHp = WYRM_HP;
  private roundDue = 0;
  private tail = '';

  constructor(c: TelnetClient, private readonly latency: Histogram, private readonly counting: () => boolean) {
    c.socket.on('data', (chunk: Buffer) => this.hear(chunk.toString('utf8')));
  }

  private hear(text: string): void {
    const now = performance.now();
    const all = this.tail + text;
    this.tail = all.slice(-200);
    for (const m of text.matchAll(HIT)) {
      this.hits += 1;
      this.damage += Number(m[1]);
      this.minHp = Math.min(this.minHp, m[2] === undefined ? 0 : Number(m[2]));
      if (this.roundDue && this.counting()) this.latency.recordMs(Math.max(0, now - this.roundDue));
      this.roundDue = 0;
    }
    if (STRUCK.test(text)) this.roundDue = now + ROUND_MS;
    STRUCK.lastIndex = 0;
  }
}

export const raid: Scenario = {
  name: 'raid',
  modes: ['in-process', 'actor', 'function'],
  smokeModes: ['actor'],
  about: 'bots attack one boss (a write-hot object): hits/s, p99 hit latency past its round, CAS conflicts/s, node balance, lost',
  async run(mode: BenchMode, opts: BenchOptions) {
    const raiders = opts.size ?? (opts.smoke ? 6 : 300);
    const nodes = opts.nodes ?? (opts.smoke ? 2 : 4);
    // The window must span rounds: a smoke run still sees blows land.
    const duration = opts.smoke ? (ROUND_MS * 1.5) / 1000 : opts.duration;
    const server = await startForMode(mode, { world: await benchWorldDir('default'), nodes, shardCapacity: 0 });
    let clients: TelnetClient[] = [];
    try {
      opts.progress(`raid ${mode}: ${raiders} raiders walking to the den`);
      clients = await loginBots(server.telnetPort, raiders, {
        concurrency: 50, progress: (n) => opts.progress(`raid ${mode}: ${n} raiders in`),
        then: async (c) => { for (const step of ['south', 'east', 'down']) await c.command(step, 60_000); },
      });
      const latency = new Histogram();
      let counting = false;
      const ears = clients.map((c) => new RaidEar(c, latency, () => counting));
      await Promise.all(clients.map((c) => c.command('attack wyrm', 60_000)));
      await sleep(opts.smoke ? 500 : ROUND_MS); // every fight under way
      const hitsBefore = ears.reduce((a, e) => a + e.hits, 0);
      counting = true;
      const sampler = sampleStatus(server);
      const started = performance.now();
      await sleep(duration * 1000);
      const seconds = (performance.now() - started) / 1000;
      counting = false;
      const hits = ears.reduce((a, e) => a + e.hits, 0) - hitsBefore;
      const frames = await sampler.stop();
      // Everyone flees; blows already struck still land and are heard. Then one probe blow reads the wyrm's hp.
      await Promise.all(clients.map((c) => c.command('flee', 60_000)));
      await sleep(ROUND_MS + 500);
      await clients[0].command('down', 60_000).catch(() => undefined);
      await clients[0].command('attack wyrm', 60_000);
      await sleep(500);
      await clients[0].command('flee', 60_000);
      const told = ears.reduce((a, e) => a + e.damage, 0);
      const taken = WYRM_HP - Math.min(...ears.map((e) => e.minHp));
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
      const ids = [...new Set(frames.flatMap((f) => f.nodes.map((n) => n.id)))].filter((id) => id !== 'gateway');
      const elu = ids.map((id) => mean(frames.flatMap((f) => f.nodes.filter((n) => n.id === id).map((n) => n.elu))));
      const gatewayElu = mean(frames.flatMap((f) => f.nodes.filter((n) => n.id === 'gateway').map((n) => n.elu)));
      return {
        metrics: {
          hitsPerSec: hits / seconds, p50HitLatencyMs: latency.quantile(0.5) / 1000, p99HitLatencyMs: latency.quantile(0.99) / 1000,
          conflictsPerSec: mean(frames.map((f) => f.store.conflictsPerSec)), balance: ids.length && mode !== 'in-process' ? Math.max(...elu) / Math.max(mean(elu), 1e-3) : 0,
          maxNodeElu: Math.max(0, ...elu), gatewayElu, timerLagP99Ms: Math.max(0, ...frames.map((f) => f.timers?.lagP99Ms ?? 0)), lost: Math.abs(taken - told),
        },
        targets: [{ metric: 'lost', op: '==', value: 0, label: 'every blow taken is a blow told' }],
        setup: { raiders, nodes, weapon: 'fists', roundMs: ROUND_MS, store: 'memory', load: loadAverage() },
      };
    } finally {
      closeAll(clients);
      await server.stop();
    }
  },
};
