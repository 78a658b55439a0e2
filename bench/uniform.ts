// uniform: bot players over real telnet, spread over the 100 rooms of a
// generated grid, closed loop (each sends its next command when the answer to
// the last one arrives): look, move or say, a third each. Commands/s and the
// latency of each command from send to its prompt.

import type { TelnetClient } from '../net/telnet-client.js';
import { Histogram } from '../cluster/histogram.js';
import { benchWorldDir, gridSpec } from './bench-world.js';
import { closeAll, LoopMeter, loginBots, REFUSED } from './bots.js';
import { startForMode, type ServerProcess } from './server-process.js';
import { loadAverage, sleep, type BenchMode, type BenchOptions, type Scenario, type Target } from './scenario.js';
import type { GridSpec } from './world-gen.js';

const TARGET_CMDS = 20_000;
const TARGET_P99_MS = 50;
/** Commands/s of the in-process cell of this run: the yardstick for the others. */
let inProcessRate: number | undefined;

interface Walker {
  client: TelnetClient;
  x: number;
  y: number;
}

interface Tally {
  hist: Histogram;
  commands: number;
  refused: number;
  errors: number;
}

export const uniform: Scenario = {
  name: 'uniform',
  modes: ['in-process', 'actor', 'function'],
  about: 'players over telnet in 100 rooms, closed loop look/move/say: commands/s and latency',
  async run(mode: BenchMode, opts: BenchOptions) {
    const players = opts.size ?? (opts.smoke ? 16 : 1000);
    const nodes = opts.nodes ?? 2;
    const grid = gridSpec(opts.smoke);
    const server = await startForMode(mode, { world: await benchWorldDir('grid', opts.smoke), nodes: mode === 'in-process' ? 0 : nodes, shardCapacity: 0, profileDir: opts.profileDir });
    let walkers: Walker[] = [];
    try {
      opts.progress(`uniform ${mode}: ${players} players logging in and walking to their rooms`);
      const clients = await loginBots(server.telnetPort, players, {
        concurrency: 50, progress: (n) => opts.progress(`uniform ${mode}: ${n} players in place`),
        then: (c, i) => walkTo(c, i % (grid.width * grid.height), grid),
      });
      walkers = clients.map((client, i) => ({ client, x: (i % (grid.width * grid.height)) % grid.width, y: Math.floor((i % (grid.width * grid.height)) / grid.width) }));
      const m = await measure(walkers, grid, server, opts);
      if (mode === 'in-process') inProcessRate = m.metrics.commandsPerSec;
      else if (inProcessRate) m.metrics.vsInProcess = m.metrics.commandsPerSec / inProcessRate;
      const targets: Target[] = mode === 'in-process'
        ? [{ metric: 'commandsPerSec', op: '>=', value: TARGET_CMDS, label: `>= ${TARGET_CMDS.toLocaleString('en')} commands/s` }, { metric: 'p99Ms', op: '<=', value: TARGET_P99_MS, label: `p99 <= ${TARGET_P99_MS} ms` }]
        : inProcessRate ? [{ metric: 'vsInProcess', op: '>=', value: 0.5, label: 'within 2x of in-process' }] : [];
      targets.push({ metric: 'errors', op: '==', value: 0, label: 'no lost commands' });
      return { ...m, targets, setup: { players, rooms: grid.width * grid.height, nodes: mode === 'in-process' ? 0 : nodes, store: 'memory', loop: 'closed', load: loadAverage() } };
    } finally {
      closeAll(walkers.map((w) => w.client));
      await server.stop();
    }
  },
};

async function walkTo(c: TelnetClient, room: number, grid: GridSpec): Promise<void> {
  for (let x = 0; x < room % grid.width; x++) await c.command('east', 30_000);
  for (let y = 0; y < Math.floor(room / grid.width); y++) await c.command('south', 30_000);
}

async function measure(walkers: Walker[], grid: GridSpec, server: ServerProcess, opts: BenchOptions) {
  const tally: Tally = { hist: new Histogram(), commands: 0, refused: 0, errors: 0 };
  let counting = false;
  let stop = false;
  const loops = walkers.map((w, i) => roam(w, i, grid, () => stop, () => (counting ? tally : undefined)));
  await sleep(opts.smoke ? 200 : 1000); // warm-up: JIT, caches, connections settle
  const loop = new LoopMeter();
  const cpuBefore = await server.cpuMicros();
  const started = performance.now();
  counting = true;
  await sleep(opts.duration * 1000);
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = (await server.cpuMicros() - cpuBefore) / (seconds * 1e6);
  const botElu = loop.utilisation();
  stop = true;
  await Promise.race([Promise.all(loops), sleep(15_000)]);
  return {
    metrics: {
      commandsPerSec: tally.commands / seconds, p50Ms: tally.hist.quantile(0.5) / 1000, p99Ms: tally.hist.quantile(0.99) / 1000,
      maxMs: tally.hist.max / 1000, serverCpu, botElu, refused: tally.refused, errors: tally.errors,
    } as Record<string, number>,
  };
}

const ACTIONS = ['look', 'move', 'say'] as const;

/** One bot's closed loop: a command, wait for its answer, the next one. */
async function roam(w: Walker, i: number, grid: GridSpec, stopped: () => boolean, tally: () => Tally | undefined): Promise<void> {
  let n = i;
  while (!stopped()) {
    n += 1;
    const action = ACTIONS[Math.floor(Math.random() * 3)];
    const step = action === 'move' ? pickStep(w, grid) : undefined;
    const line = action === 'look' ? 'look' : action === 'say' ? `say hello number ${n}` : step!.dir;
    const sent = performance.now();
    try {
      const answer = await w.client.command(line, 30_000);
      const t = tally();
      // A refusal is not a command done: it is counted apart, outside the latency.
      if (t && REFUSED.test(answer)) t.refused += 1;
      else if (t) {
        t.hist.recordMs(performance.now() - sent);
        t.commands += 1;
      }
      if (step) Object.assign(w, step.to);
    } catch {
      const t = tally();
      if (t) t.errors += 1;
      if (w.client.isClosed) return;
    }
  }
}

/** A random exit from the bot's room on the grid, and where it leads. */
function pickStep(w: Walker, grid: GridSpec): { dir: string; to: { x: number; y: number } } {
  const options: Array<{ dir: string; to: { x: number; y: number } }> = [];
  if (w.y > 0) options.push({ dir: 'north', to: { x: w.x, y: w.y - 1 } });
  if (w.y < grid.height - 1) options.push({ dir: 'south', to: { x: w.x, y: w.y + 1 } });
  if (w.x < grid.width - 1) options.push({ dir: 'east', to: { x: w.x + 1, y: w.y } });
  if (w.x > 0) options.push({ dir: 'west', to: { x: w.x - 1, y: w.y } });
  return options[Math.floor(Math.random() * options.length)];
}
