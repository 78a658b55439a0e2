// gateways: the party (guests in one room emoting open loop) over NATS, with
// the same nodes, first behind one gateway, then split over two: lines
// delivered/s, p99 delivery, each gateway's event-loop use, CPU per delivered
// line at the gateways and at the nodes, nothing lost; per-gateway CPU with 2 against
// 1 (its ELU too, which on a saturated machine also counts waiting for a core). The figures the on-paper
// estimate for 10 gateways and 30 nodes in docs/BENCHMARKS.md starts from.

import { performance } from 'node:perf_hooks';
import type { Status } from '../ops/status.js';
import { benchWorldDir } from './bench-world.js';
import { closeAll, loginBots } from './bots.js';
import { PartyBots } from './party-bots.js';
import { ClusterRig, type RigGateway } from './cluster-rig.js';
import { loadAverage, sleep, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';
import { deliveryMetrics } from './party.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const NODES = 2;

export const gateways: Scenario = {
  name: 'gateways',
  modes: ['actor', 'function'],
  smokeModes: ['function'],
  about: 'the party over NATS behind 1 gateway, then 2 (same nodes): lines/s, p99, ELU and CPU per line per gateway',
  async run(mode: BenchMode, opts: BenchOptions) {
    const guests = opts.size ?? (opts.smoke ? 12 : 1000);
    const rate = opts.smoke ? 40 : 500;
    const world = await benchWorldDir('default');
    const metrics: Record<string, number> = {};
    for (const count of [1, 2]) {
      const rig = await ClusterRig.start({ mode, world, nodes: opts.nodes ?? NODES });
      try {
        for (let i = 1; i <= count; i++) await rig.addGateway(`gw-${i}`);
        const figures = await partyOver(rig, guests, rate, opts, `gateways ${mode} x${count}`);
        for (const [k, v] of Object.entries(figures)) metrics[`g${count}.${k}`] = v;
      } finally {
        await rig.close();
      }
    }
    metrics.eluRatio = metrics['g2.gatewayElu'] / Math.max(1e-3, metrics['g1.gatewayElu']);
    // CPU time is the load a gateway carries; its ELU also counts waiting for a core, which on a machine
    // whose every core is busy (bots, gateways, nodes and NATS share them here) does not halve with the work.
    metrics.perGatewayCpuRatio = metrics['g2.gatewayCpuCores'] / 2 / Math.max(1e-6, metrics['g1.gatewayCpuCores']);
    metrics.lost = metrics['g1.lost'] + metrics['g2.lost'];
    metrics.duplicated = metrics['g1.duplicated'] + metrics['g2.duplicated'];
    return {
      metrics,
      targets: [
        { metric: 'perGatewayCpuRatio', op: '<=' as const, value: 0.7, label: 'the CPU each gateway spends roughly halves with 2 gateways (<= 0.7x)' },
        { metric: 'lost', op: '==' as const, value: 0, label: 'no emote lost' },
        { metric: 'duplicated', op: '==' as const, value: 0, label: 'no emote delivered twice' },
      ],
      setup: { guests, emotesPerSec: rate, nodes: opts.nodes ?? NODES, store: 'nats-kv', nats: '1 nats-server', loop: 'open', load: loadAverage() },
    };
  },
};

/** Guests split round-robin over the rig's gateways, all in the plaza, emoting at `rate`. */
async function partyOver(rig: ClusterRig, guests: number, rate: number, opts: BenchOptions, label: string): Promise<Record<string, number>> {
  const per = rig.gateways.map((_, g) => Math.floor(guests / rig.gateways.length) + (g < guests % rig.gateways.length ? 1 : 0));
  const clients: TelnetClient[] = [];
  try {
    let first = 0;
    for (const [g, gw] of rig.gateways.entries()) {
      opts.progress(`${label}: ${per[g]} guests arriving at ${gw.id}`);
      clients.push(...(await loginBots(gw.telnetPort, per[g], { concurrency: 50, guests: true, first })));
      first += per[g];
    }
    const bots = new PartyBots(clients);
    bots.start(rate);
    await sleep(opts.smoke ? 300 : 2000); // warm-up
    const cpu = (procs: Array<{ child: { pid?: number } }>) => procs.reduce((n, p) => n + rig.cpuMicros(p as never), 0);
    const gwCpu = cpu(rig.gateways);
    const nodeCpu = cpu(rig.nodes);
    bots.beginWindow();
    const started = performance.now();
    const frames = new Map<string, Status[]>(rig.gateways.map((g) => [g.id, []]));
    while (performance.now() - started < opts.duration * 1000) {
      await sleep(1000);
      for (const gw of rig.gateways) frames.get(gw.id)!.push(await rig.status(gw));
    }
    const seconds = bots.endWindow();
    const gwCpuUs = cpu(rig.gateways) - gwCpu;
    const nodeCpuUs = cpu(rig.nodes) - nodeCpu;
    await bots.stop(8000);
    const delivery = deliveryMetrics(bots.figures(false), seconds);
    const lines = Math.max(1, delivery.deliveriesPerSec * seconds);
    const own = (gw: RigGateway) => (frames.get(gw.id) ?? []).map((f) => f.gateways?.find((r) => r.id === gw.id)).filter((r) => r !== undefined);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const elus = rig.gateways.map((gw) => mean(own(gw).map((r) => r.elu)));
    const out: Record<string, number> = {
      ...delivery,
      gatewayElu: mean(elus),
      gatewayEluMax: Math.max(...elus),
      gatewayCpuUsPerLine: gwCpuUs / lines,
      nodeCpuUsPerLine: nodeCpuUs / lines,
      gatewayCpuCores: gwCpuUs / (seconds * 1e6),
      nodeCpuCores: nodeCpuUs / (seconds * 1e6),
    };
    for (const [i, gw] of rig.gateways.entries()) out[`elu.${gw.id}`] = elus[i];
    // Lines each gateway fanned out per NATS message it received (room lines cross once per gateway).
    const bus = rig.gateways.map((gw) => own(gw).map((r) => (r as { linesPerNatsMsg?: number }).linesPerNatsMsg).filter((x): x is number => typeof x === 'number'));
    if (bus.some((b) => b.length)) out.linesPerNatsMsg = mean(bus.flat());
    return out;
  } finally {
    closeAll(clients);
  }
}
