// switch-gateways: two gateways over one nats-server share the nodes; players
// on both emote in a closed loop while the cluster's mode table is switched 10
// times, each switch issued on the gateways in turn. The initiator's pause, the
// players' command latency through the switches beside a window without any (the
// machine's own noise), and whether any emote was lost or ran twice.

import { Histogram } from '../support/histogram.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { benchWorldDir } from './bench-world.js';
import { closeAll, loginBots, REFUSED } from './bots.js';
import { ClusterRig } from './cluster-rig.js';
import { loadAverage, sleep, type BenchMode, type BenchOptions, type Scenario, type Target } from './scenario.js';

const SWITCHES = 10;
const SMOKE_SWITCHES = 4;
const NODES = 2;
const THINK_MS = 500;

interface Tally {
  /** Connections the server closed on a player mid-command (the player stops). */
  dropped: number;
  sent: number;
  lost: number;
  duplicated: number;
  refused: number;
  latency: Histogram;
}

const tally = (): Tally => ({ dropped: 0, sent: 0, lost: 0, duplicated: 0, refused: 0, latency: new Histogram() });

/** One player's closed loop: an emote with a token only it uses, which its answer must carry exactly once.
 *  Each command counts in the tally of the phase it started in. */
async function play(c: TelnetClient, name: string, until: () => boolean, phase: () => Tally): Promise<void> {
  for (let k = 0; !until(); k++) {
    const t = phase();
    const token = `${name}x${k}q`;
    const started = performance.now();
    t.sent++;
    let reply: string;
    try {
      reply = await c.command(`emote hums ${token}`, 60_000);
    } catch {
      t.dropped++;
      return;
    }
    t.latency.recordMs(performance.now() - started);
    if (REFUSED.test(reply)) t.refused++;
    else {
      const seen = reply.split(token).length - 1;
      if (seen === 0) t.lost++;
      if (seen > 1) t.duplicated++;
    }
    await sleep(THINK_MS);
  }
}

export const switchGateways: Scenario = {
  name: 'switch-gateways',
  // One cell: its switches alternate actor and function anyway (in-process cannot be shared).
  modes: ['actor'],
  about: 'live switches of the cluster table across 2 gateways (NATS, real processes) while players on both emote',
  async run(mode: BenchMode, opts: BenchOptions) {
    const perGateway = opts.size ?? (opts.smoke ? 2 : 100);
    const other = mode === 'actor' ? 'function' : 'actor';
    opts.progress(`switch-gateways ${mode}: nats-server, 2 gateways, ${NODES} nodes`);
    const rig = await ClusterRig.start({ mode, world: await benchWorldDir('default'), nodes: NODES });
    const clients: TelnetClient[] = [];
    try {
      for (const id of ['gwa', 'gwb']) await rig.addGateway(id);
      opts.progress(`switch-gateways ${mode}: ${perGateway} guests on each gateway`);
      for (const [g, gw] of rig.gateways.entries()) {
        clients.push(...(await loginBots(gw.telnetPort, perGateway, { concurrency: 20, guests: true, first: g * perGateway })));
      }
      const warm = tally();
      const quiet = tally();
      const switching = tally();
      let phase = warm;
      let playing = true;
      const loops = clients.map((c, i) => play(c, `p${i}`, () => !playing, () => phase));
      await sleep(opts.smoke ? 300 : 2000);
      phase = quiet;
      await sleep((opts.duration * 1000) / 2); // the same load with no switch: the baseline
      phase = switching;
      const pauses = new Histogram();
      const switches = opts.smoke ? SMOKE_SWITCHES : SWITCHES;
      const gap = Math.max(100, (opts.duration * 1000) / switches);
      for (let i = 0; i < switches; i++) {
        await sleep(gap);
        const r = await rig.dispatch(rig.gateways[i % 2], i % 2 === 0 ? other : mode);
        pauses.recordMs(r.pausedMs);
      }
      await sleep(Math.min(gap, 1000));
      playing = false;
      await Promise.all(loops);
      const all = [warm, quiet, switching];
      const sum = (k: 'sent' | 'lost' | 'duplicated' | 'refused' | 'dropped') => all.reduce((a, t) => a + t[k], 0);
      const statuses = await Promise.all(rig.gateways.map((g) => rig.status(g)));
      const metrics = {
        switches: pauses.total, pauseP50Ms: pauses.quantile(0.5) / 1000, pauseMaxMs: pauses.max / 1000,
        commands: sum('sent'), dropped: sum('dropped'), lost: sum('lost'), duplicated: sum('duplicated'), refused: sum('refused'),
        cmdP50Ms: switching.latency.quantile(0.5) / 1000, cmdP99Ms: switching.latency.quantile(0.99) / 1000, cmdMaxMs: switching.latency.max / 1000,
        'noSwitch.cmdP50Ms': quiet.latency.quantile(0.5) / 1000, 'noSwitch.cmdP99Ms': quiet.latency.quantile(0.99) / 1000, 'noSwitch.cmdMaxMs': quiet.latency.max / 1000,
        epochsAgree: statuses.every((s) => s.epoch === statuses[0].epoch && s.mode === statuses[0].mode) ? 1 : 0, epoch: statuses[0].epoch ?? 0,
      };
      const targets: Target[] = [
        { metric: 'switches', op: '==', value: switches, label: `${switches} switches, issued on both gateways` },
        { metric: 'epochsAgree', op: '==', value: 1, label: 'both gateways end on one table and epoch' },
        { metric: 'lost', op: '==', value: 0, label: '0 lost' },
        { metric: 'dropped', op: '==', value: 0, label: 'no player dropped' },
        { metric: 'duplicated', op: '==', value: 0, label: '0 run twice' },
      ];
      return { metrics, targets, setup: { gateways: 2, guestsPerGateway: perGateway, nodes: NODES, thinkMs: THINK_MS, store: 'nats-kv', switches: `${other}<->${mode}`, load: loadAverage() } };
    } finally {
      closeAll(clients);
      await rig.close();
    }
  },
};
