// party: guests in the default world's mystical_plaza (which has a script on
// every emote), open loop at a fixed total emote rate, over 4 nodes. Per node:
// event-loop utilisation and turns; how unbalanced the nodes are; the delay
// from an emote to its delivery to the other guests; store conflicts.

import { performance } from 'node:perf_hooks';
import type { Status } from '../ops/status.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { homeOf } from '../lattice/placement.js';
import { benchWorldDir } from './bench-world.js';
import { closeAll, LoopMeter, loginBots } from './bots.js';
import { PartyBots, type PartyFigures } from './party-bots.js';
import { startForMode, type BenchServer } from './server-process.js';
import { ServedServer } from './served-server.js';
import { loadAverage, sleep, type BenchMode, type BenchOptions, type Scenario, type Target } from './scenario.js';

export const PARTY_ROOM = 'room/mystical_plaza';
const NODES = 4;
const TARGET_P99_MS = 100;
const TARGET_ARRIVAL_SEC = 15;

export interface OpenParty {
  server: BenchServer;
  /** Set when `shipped`: `mud serve` itself, with its admin API. */
  served?: ServedServer;
  bots: PartyBots;
  clients: TelnetClient[];
  guests: number;
  rate: number;
  sharded: boolean;
  /** Seconds until every guest was logged in (guest logins: no password hash). */
  arrivalSec: number;
  setup: Record<string, string | number | boolean>;
  close(): Promise<void>;
}

/** A server in `mode` with the guests logged in and gathered in the plaza, not yet emoting.
 *  `shipped`: `mud serve` itself with the file store (served-server.ts), not the dispatch-layer child. */
export async function openParty(mode: BenchMode, opts: BenchOptions, label: string, shipped = false): Promise<OpenParty> {
  const guests = opts.size ?? (opts.smoke ? 12 : 1000);
  const rate = opts.smoke ? 40 : 500;
  // Sharded: about eight rooms of guests, two per node if placement spread them evenly.
  const shardCapacity = Math.max(2, Math.ceil(guests / 8));
  const nodes = opts.nodes ?? NODES;
  const world = await benchWorldDir('default');
  const sharded = mode === 'actor-sharded';
  const served = shipped
    ? await ServedServer.start({ world, dispatch: sharded ? 'actor' : mode, nodes, shardCapacity: sharded ? shardCapacity : 0, profileDir: opts.profileDir })
    : undefined;
  const server: BenchServer = served ?? await startForMode(mode, { world, nodes, shardCapacity, profileDir: opts.profileDir });
  try {
    opts.progress(`${label} ${mode}: ${guests} guests arriving in the plaza`);
    const arriving = performance.now();
    const clients = await loginBots(server.telnetPort, guests, { concurrency: 50, guests: true, progress: (n) => opts.progress(`${label} ${mode}: ${n} guests in`) });
    const arrivalSec = (performance.now() - arriving) / 1000;
    const setup = {
      kind: shipped ? 'shipped' : 'dispatch layer', server: shipped ? 'mud serve (own process)' : 'startServer (forked child)',
      guests, emotesPerSec: rate, nodes, shardCapacity: sharded ? shardCapacity : 0, store: shipped ? 'file' : 'memory', loop: 'open', load: loadAverage(),
    };
    return {
      server, served, bots: new PartyBots(clients), clients, guests, rate, sharded, setup, arrivalSec,
      close: async () => {
        closeAll(clients);
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Status frames every second until `stop()` says so. */
export function sampleStatus(server: BenchServer): { stop(): Promise<Status[]> } {
  const frames: Status[] = [];
  let done = false;
  const loop = (async () => {
    while (!done) {
      await sleep(1000);
      if (!done) frames.push(await server.status());
    }
  })();
  return {
    stop: async () => {
      done = true;
      await loop;
      return frames;
    },
  };
}

function partyScenario(name: string, shipped: boolean, smokeModes: BenchMode[], about: string): Scenario {
  return {
    name,
    modes: ['in-process', 'actor', 'function', 'actor-sharded'],
    smokeModes,
    about,
    async run(mode: BenchMode, opts: BenchOptions) {
      const p = await openParty(mode, opts, name, shipped);
      try {
        p.bots.start(p.rate);
        await sleep(opts.smoke ? 300 : 1000); // warm-up
        const loop = new LoopMeter();
        const cpuBefore = await p.server.cpuMicros();
        p.bots.beginWindow();
        const sampler = sampleStatus(p.server);
        await sleep(opts.duration * 1000);
        const seconds = p.bots.endWindow();
        const frames = await sampler.stop();
        const serverCpu = (await p.server.cpuMicros() - cpuBefore) / (seconds * 1e6);
        const botElu = loop.utilisation();
        await p.bots.stop(8000);
        const metrics = { arrivalSec: p.arrivalSec, ...deliveryMetrics(p.bots.figures(p.sharded), seconds), ...nodeMetrics(frames, mode), serverCpu, botElu };
        return { metrics, targets: partyTargets(mode), setup: p.setup };
      } finally {
        await p.close();
      }
    },
  };
}

export const party = partyScenario('party', false, ['actor', 'actor-sharded'], 'dispatch layer: guests in one room emoting open loop: per-node load, balance, emote delivery p99, conflicts');
export const partyShipped = partyScenario('party-shipped', true, ['in-process', 'function'], 'shipped: the party on mud serve with the file store (guests: a party arrives as guests, no password hash)');

export function deliveryMetrics(f: PartyFigures, seconds: number): Record<string, number> {
  return {
    emotesPerSec: f.windowSent / seconds, deliveriesPerSec: f.deliveries / seconds,
    p50DeliveryMs: f.latency.quantile(0.5) / 1000, p99DeliveryMs: f.latency.quantile(0.99) / 1000, maxDeliveryMs: f.latency.max / 1000,
    lost: f.lost, duplicated: f.duplicated, refused: f.refused, unanswered: f.unanswered,
  };
}

/** Per node ELU and turns/s (means over the frames), the hot node's ratio, balance, conflicts. */
export function nodeMetrics(frames: Status[], mode: BenchMode): Record<string, number> {
  const out: Record<string, number> = {};
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const ids = [...new Set(frames.flatMap((f) => f.nodes.map((n) => n.id)))];
  const elu = new Map(ids.map((id) => [id, mean(frames.flatMap((f) => f.nodes.filter((n) => n.id === id).map((n) => n.elu)))]));
  for (const id of ids) {
    out[`elu.${id}`] = elu.get(id)!;
    out[`turnsPerSec.${id}`] = mean(frames.flatMap((f) => f.nodes.filter((n) => n.id === id).map((n) => n.turnsPerSec)));
  }
  // A node whose report did not change between frames was not heard from (its
  // stats request timed out on a busy gateway): its figures are stale.
  out.staleFrames = frames.filter((f, i) => i > 0 && JSON.stringify(f.nodes.slice(1)) === JSON.stringify(frames[i - 1].nodes.slice(1))).length;
  const nodes = ids.filter((id) => id !== 'gateway');
  // In-process the nodes are idle bystanders (there for the live switch): no balance to speak of.
  if (nodes.length && mode !== 'in-process') {
    const loads = nodes.map((id) => elu.get(id)!);
    out.balance = Math.max(...loads) / mean(loads);
    const home = homeOf(PARTY_ROOM, nodes)!;
    const others = nodes.filter((id) => id !== home).map((id) => elu.get(id)!);
    out.hotRatio = elu.get(home)! / Math.max(mean(others), 1e-3);
  }
  const hot = frames.flatMap((f) => f.hot.filter((h) => h.ref.startsWith(PARTY_ROOM)));
  const turns = hot.reduce((a, h) => a + h.turnsPerSec, 0);
  out.conflictsPerSec = mean(frames.map((f) => f.store.conflictsPerSec));
  out.retriesPerTurn = turns ? hot.reduce((a, h) => a + h.conflictsPerSec, 0) / turns : 0;
  return out;
}

function partyTargets(mode: BenchMode): Target[] {
  const targets: Target[] = [
    { metric: 'arrivalSec', op: '<=', value: TARGET_ARRIVAL_SEC, label: `every guest in within ${TARGET_ARRIVAL_SEC} s` },
    { metric: 'p99DeliveryMs', op: '<=', value: TARGET_P99_MS, label: `p99 emote delivery <= ${TARGET_P99_MS} ms` },
  ];
  if (mode === 'actor') targets.push({ metric: 'hotRatio', op: '>=', value: 3, label: "the plaza's home node >= 3x the others" });
  if (mode === 'function' || mode === 'actor-sharded') targets.push({ metric: 'balance', op: '<=', value: 1.3, label: 'nodes balanced: max/mean <= 1.3' });
  targets.push({ metric: 'lost', op: '==', value: 0, label: 'no emote lost' });
  return targets;
}
