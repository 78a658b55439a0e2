// uniform: bot players over real telnet, spread over the 100 rooms of a
// generated grid, closed loop (each sends its next command when the answer to
// the last one arrives): look, move or say, a third each. Commands/s and the
// latency of each command from send to its prompt.

import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { benchWorldDir, gridSpec } from './bench-world.js';
import { closeAll, loginBots } from './bots.js';
import { measureClosedLoop, type BotScript } from './closed-loop.js';
import { startForMode } from './server-process.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario, type Target } from './scenario.js';
import type { GridSpec } from './world-gen.js';

const TARGET_CMDS = 20_000;
const TARGET_P99_MS = 50;
/** Commands/s of the in-process cell of this run: the yardstick for the others. */
let inProcessRate: number | undefined;

export interface Walker {
  client: TelnetClient;
  x: number;
  y: number;
}

export const uniform: Scenario = {
  name: 'uniform',
  modes: ['in-process', 'actor', 'function'],
  smokeModes: ['actor'],
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
      const m = { metrics: await measureClosedLoop(clients, roaming(walkers, grid), server, opts) };
      if (mode === 'in-process') inProcessRate = m.metrics.commandsPerSec;
      else if (inProcessRate) m.metrics.vsInProcess = m.metrics.commandsPerSec / inProcessRate;
      const targets: Target[] = mode === 'in-process'
        ? [{ metric: 'commandsPerSec', op: '>=', value: TARGET_CMDS, label: `>= ${TARGET_CMDS.toLocaleString('en')} commands/s` }, { metric: 'p99Ms', op: '<=', value: TARGET_P99_MS, label: `p99 <= ${TARGET_P99_MS} ms` }]
        : inProcessRate ? [{ metric: 'vsInProcess', op: '>=', value: 0.5, label: 'within 2x of in-process' }] : [];
      targets.push({ metric: 'errors', op: '==', value: 0, label: 'no lost commands' });
      return { ...m, targets, setup: { kind: 'dispatch layer', world: 'generated grid', players, rooms: grid.width * grid.height, nodes: mode === 'in-process' ? 0 : nodes, store: 'memory', loop: 'closed', load: loadAverage() } };
    } finally {
      closeAll(walkers.map((w) => w.client));
      await server.stop();
    }
  },
};

export async function walkTo(c: TelnetClient, room: number, grid: GridSpec): Promise<void> {
  for (let x = 0; x < room % grid.width; x++) await c.command('east', 30_000);
  for (let y = 0; y < Math.floor(room / grid.width); y++) await c.command('south', 30_000);
}

const ACTIONS = ['look', 'move', 'say'] as const;

/** Look, move or say, a third each; a move that was refused leaves the bot where it was. */
export function roaming(walkers: Walker[], grid: GridSpec): BotScript {
  const steps: Array<{ dir: string; to: { x: number; y: number } } | undefined> = new Array(walkers.length);
  const said = new Int32Array(walkers.length);
  return {
    next(i) {
      const action = ACTIONS[Math.floor(Math.random() * 3)];
      steps[i] = action === 'move' ? pickStep(walkers[i], grid) : undefined;
      return action === 'look' ? 'look' : action === 'say' ? `say hello number ${i + ++said[i]}` : steps[i]!.dir;
    },
    answered(i, refused) {
      const step = steps[i];
      if (step && !refused) Object.assign(walkers[i], step.to);
    },
  };
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
