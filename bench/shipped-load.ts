// hot-shipped, hot-scriptless, hot-unmerged and spread-shipped: the closed-loop workload of
// `hot` and `spread` on what ships (issue 29): `mud serve` as its own process
// (served-server.ts) with the default world, its scripts and its creatures, the
// file store, accounts created over telnet with the real password hash (the
// login phase timed apart from the window). `hot-scriptless` is the same world
// with only the plaza's `script:` line removed; whichever of the two runs second
// in a mode puts shipped / scriptless beside its own figures. `hot-unmerged` is
// hot-shipped in function mode with `--no-merge` (every commit that loses run
// again): hot-shipped / hot-unmerged is what merged commits buy.

import { mkdir } from 'node:fs/promises';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { closeAll, loginBots } from './bots.js';
import { measureClosedLoop, outAndBack } from './closed-loop.js';
import { allocMeter } from './alloc-meter.js';
import { sampleRss, ServedServer } from './served-server.js';
import { homesOf, PLAZA_HOME, scriptlessWorldDir, type Home } from './shipped-world.js';
import { benchWorldDir } from './bench-world.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario, type Target } from './scenario.js';

const PEER_HOT_CMDS = 776; // RanvierMUD on the same bots and machine (issue 15)
const MIB = 2 ** 20;
const TARGET_RSS_MIB = 160;
const TARGET_CPU_US = 60;
/** The scripted world: 40 rooms, each bot's home one of them (5 each with 200 bots). */
const SCRIPTED_GRID = '20x2';

interface Figures {
  commandsPerSec: number;
  p99Ms: number;
}

/** The figures of this run by scenario and mode: in-process as the other modes' yardstick,
 *  shipped and scriptless as each other's. */
const seen = new Map<string, Figures>();

export interface ShippedCell {
  name: string;
  /** `shipped`: the default world (or it less the plaza's script); `served`: a generated world on the same server. */
  kind: 'shipped' | 'served';
  about: string;
  world(): Promise<string>;
  homes(world: string): Promise<Home[]>;
  /** The modes it runs (default in-process, actor, function). */
  modes?: BenchMode[];
  /** The modes `--smoke` runs: one, the same for the two cells of a pair. */
  smokeModes: BenchMode[];
  /** False: `mud serve --no-merge`. */
  merge?: false;
}

/** Two cells of one run compared: the costly one's commands/s over the base's (and p99). */
interface Pair {
  costly: string;
  base: string;
  /** `shippedVsScriptless`; the p99 ratio is `p99` + the same, capitalised. */
  metric: string;
  /** The target on the ratio; none where the pair only shows what a knob does. */
  atLeast?: number;
  p99AtMost?: number;
  what: string;
}

const PAIRS: Pair[] = [
  { costly: 'hot-shipped', base: 'hot-scriptless', metric: 'shippedVsScriptless', atLeast: 0.8, p99AtMost: 1.5, what: 'the shipped plaza vs the scriptless one' },
  { costly: 'scripted', base: 'scripted-bare', metric: 'scriptedVsBare', atLeast: 0.6, what: 'every room and creature scripted vs none' },
  { costly: 'hot-shipped', base: 'hot-unmerged', metric: 'mergedVsUnmerged', what: 'merged commits vs every losing commit run again' },
];
const p99Metric = (p: Pair) => `p99${p.metric[0].toUpperCase()}${p.metric.slice(1)}`;

function shippedLoad(cell: ShippedCell): Scenario {
  return {
    name: cell.name,
    modes: cell.modes ?? ['in-process', 'actor', 'function'],
    smokeModes: cell.smokeModes,
    about: cell.about,
    async run(mode: BenchMode, opts: BenchOptions) {
      const bots = opts.size ?? (opts.smoke ? 6 : 200);
      const world = await cell.world();
      const homes = await cell.homes(world);
      const home = (i: number) => homes[i % homes.length];
      // The smoke run checks the harness, not the figures: the fewest nodes that run the mode start fastest.
      const nodes = opts.nodes ?? (opts.smoke ? (mode === 'in-process' ? 0 : 1) : undefined);
      if (opts.allocDir) await mkdir(opts.allocDir, { recursive: true });
      const server = await ServedServer.start({ world, dispatch: mode, nodes, merge: cell.merge, profileDir: opts.profileDir, allocDir: opts.allocDir });
      let clients: TelnetClient[] = [];
      try {
        opts.progress(`${cell.name} ${mode}: ${bots} accounts created over telnet (real password hash), over ${homes.length} room(s)`);
        const loggingIn = performance.now();
        clients = await loginBots(server.telnetPort, bots, {
          concurrency: 50, progress: (n) => opts.progress(`${cell.name} ${mode}: ${n} bots in place`),
          then: async (c, i) => {
            for (const dir of home(i).path) await c.command(dir, 60_000);
          },
        });
        const loginSec = (performance.now() - loggingIn) / 1000;
        const rss = sampleRss(server);
        const metrics = await measureClosedLoop(clients, outAndBack(bots, home), server, opts, { meters: opts.allocDir ? [allocMeter(server, opts.allocDir)] : [] });
        const memory = rss.stop();
        if (metrics.allocMBPerSec !== undefined) metrics.allocKBPerCommand = (metrics.allocMBPerSec * 1000) / Math.max(metrics.commandsPerSec, 1e-3);
        Object.assign(metrics, {
          loginSec, loginMsPerBot: (loginSec * 1000) / bots, startupSec: server.startupMs / 1000,
          rssPeakMiB: memory.peak / MIB, rssMeanMiB: memory.mean / MIB, rssAnonPeakMiB: memory.anonPeak / MIB,
        });
        compare(cell, mode, metrics, opts.round ?? 1);
        return {
          metrics, targets: targets(cell, mode, metrics),
          setup: {
            kind: cell.kind, server: 'mud serve (own process)', world, rooms: homes.map((h) => h.room.replace(/^room\//, '')).join(' '),
            bots, nodes: nodes ?? 'default (3)', store: 'file', passwordHash: 'scrypt N=16384 (shipped)', loop: 'closed', rateLimit: 'lifted', load: loadAverage(),
          },
        };
      } finally {
        closeAll(clients);
        await server.stop();
      }
    },
  };
}

/** Ratios to the in-process cell and to the partner cell of this run, where they ran. */
function compare(cell: ShippedCell, mode: BenchMode, m: Record<string, number>, round: number): void {
  const own = { commandsPerSec: m.commandsPerSec, p99Ms: m.p99Ms };
  seen.set(`${cell.name}/${mode}/${round}`, own);
  const base = seen.get(`${cell.name}/in-process/${round}`);
  if (mode !== 'in-process' && base) {
    m.vsInProcess = m.commandsPerSec / base.commandsPerSec;
    m.p99VsInProcess = m.p99Ms / Math.max(base.p99Ms, 1e-3);
  }
  for (const pair of PAIRS.filter((p) => p.costly === cell.name || p.base === cell.name)) {
    const costly = seen.get(`${pair.costly}/${mode}/${round}`);
    const base = seen.get(`${pair.base}/${mode}/${round}`);
    if (!costly || !base) continue;
    m[pair.metric] = costly.commandsPerSec / Math.max(base.commandsPerSec, 1e-3);
    m[p99Metric(pair)] = costly.p99Ms / Math.max(base.p99Ms, 1e-3);
  }
}

function targets(cell: ShippedCell, mode: BenchMode, m: Record<string, number>): Target[] {
  const out: Target[] = [];
  for (const pair of PAIRS.filter((p) => m[p.metric] !== undefined)) {
    if (pair.atLeast === undefined) continue;
    out.push({ metric: pair.metric, op: '>=', value: pair.atLeast, label: `${pair.what}: >= ${pair.atLeast}x commands/s, same run (issue 29)` });
    if (pair.p99AtMost) out.push({ metric: p99Metric(pair), op: '<=', value: pair.p99AtMost, label: `${pair.what}: p99 <= ${pair.p99AtMost}x` });
  }
  if (cell.name === 'hot-shipped' && mode === 'in-process') {
    out.push({ metric: 'rssPeakMiB', op: '<=', value: TARGET_RSS_MIB, label: `mud serve resident <= ${TARGET_RSS_MIB} MB under the hot room (issue 29)` });
  }
  if (cell.name === 'hot-shipped' && mode === 'function') {
    out.push({ metric: 'commandsPerSec', op: '>=', value: 2 * PEER_HOT_CMDS, label: `>= ${2 * PEER_HOT_CMDS} commands/s (2x RanvierMUD's ${PEER_HOT_CMDS})` });
  }
  if (cell.name === 'spread-shipped' && mode === 'in-process') {
    out.push({ metric: 'cpuMicrosPerCommand', op: '<=', value: TARGET_CPU_US, label: `server CPU <= ${TARGET_CPU_US} us per command (issue 29)` });
  }
  out.push({ metric: 'errors', op: '==', value: 0, label: 'no lost commands' });
  return out;
}

const plazaOnly = async () => [PLAZA_HOME];

/** The shipped cells: which world each loads and where its bots live (test/shipped-bench.test.ts checks them). */
export const SHIPPED_CELLS: ShippedCell[] = [
  {
    name: 'hot-shipped', smokeModes: ['function'], kind: 'shipped', world: async () => DEFAULT_WORLD, homes: plazaOnly,
    about: 'shipped: mud serve, default world with its scripts, file store, real hash; bots in the plaza cycling look/say/east/west',
  },
  {
    name: 'hot-scriptless', smokeModes: ['function'], kind: 'shipped', world: scriptlessWorldDir, homes: plazaOnly,
    about: 'hot-shipped on a copy of the default world without the plaza\'s script line: shipped / scriptless in the same run',
  },
  {
    name: 'hot-unmerged', smokeModes: ['function'], kind: 'shipped', world: async () => DEFAULT_WORLD, homes: plazaOnly, modes: ['function'], merge: false,
    about: 'hot-shipped in function mode with mud serve --no-merge: every commit that loses runs its turns again; hot-shipped / hot-unmerged in the same run',
  },
  {
    name: 'spread-shipped', smokeModes: ['actor'], kind: 'shipped', world: async () => DEFAULT_WORLD, homes: homesOf,
    about: 'shipped: the hot workload spread over every room of the default world (its creatures and scripts too)',
  },
  {
    name: 'scripted-bare', smokeModes: ['in-process'], kind: 'served', world: () => benchWorldDir(`keepers:${SCRIPTED_GRID}`), homes: homesOf,
    about: 'the scripted cell\'s world with no script at all (its base): a keeper creature in each of 40 generated rooms',
  },
  {
    name: 'scripted', smokeModes: ['in-process'], kind: 'served', world: () => benchWorldDir(`scripted:${SCRIPTED_GRID}`), homes: homesOf,
    about: 'served: 40 generated rooms, each room and its keeper creature scripted (say/enter/exit), bots spread out; ratio to scripted-bare',
  },
];

export const [hotShipped, hotScriptless, hotUnmerged, spreadShipped, scriptedBare, scripted] = SHIPPED_CELLS.map(shippedLoad);
