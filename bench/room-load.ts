// hot and spread: the closed-loop workload of issue 15's peer comparison. Bots
// over telnet each cycle look, say, a move south and back north, from a home
// room in the top row of a generated grid (one column wide for `hot`: every bot
// in one room; twelve columns for `spread`). Each mode's commands/s and p99 are
// put beside the in-process cell of the same run, measured minutes apart on the
// same machine, so the ratios survive a loaded machine that the absolutes do not.

import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { benchWorldDir } from './bench-world.js';
import { closeAll, loginBots } from './bots.js';
import { measureClosedLoop, outAndBack } from './closed-loop.js';
import { startForMode } from './server-process.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario, type Target } from './scenario.js';

/** RanvierMUD (one Node.js thread) with the same bots on this machine, from issue 15. */
const PEER_HOT_CMDS = 776;
const TARGET_SPREAD_CMDS = 15_000;
const SOUTH_AND_BACK = { out: 'south', back: 'north' };

/** In-process figures of this run, per scenario: the yardstick for the other modes. */
const inProcess = new Map<string, { commandsPerSec: number; p99Ms: number }>();

function roomLoad(name: string, rooms: number, smokeModes: BenchMode[], about: string): Scenario {
  return {
    name,
    modes: ['in-process', 'actor', 'function'],
    smokeModes,
    about,
    async run(mode: BenchMode, opts: BenchOptions) {
      const bots = opts.size ?? (opts.smoke ? 12 : 200);
      const nodes = opts.nodes ?? 2;
      const world = await benchWorldDir(`grid:${rooms}x2`);
      const server = await startForMode(mode, { world, nodes: mode === 'in-process' ? 0 : nodes, shardCapacity: 0, profileDir: opts.profileDir });
      let clients: TelnetClient[] = [];
      try {
        opts.progress(`${name} ${mode}: ${bots} bots logging in over ${rooms} room(s)`);
        clients = await loginBots(server.telnetPort, bots, {
          concurrency: 50, progress: (n) => opts.progress(`${name} ${mode}: ${n} bots in place`),
          then: async (c, i) => {
            for (let x = 0; x < i % rooms; x++) await c.command('east', 30_000);
          },
        });
        const metrics = await measureClosedLoop(clients, outAndBack(bots, () => SOUTH_AND_BACK), server, opts);
        const base = inProcess.get(name);
        if (mode === 'in-process') inProcess.set(name, { commandsPerSec: metrics.commandsPerSec, p99Ms: metrics.p99Ms });
        else if (base) {
          metrics.vsInProcess = metrics.commandsPerSec / base.commandsPerSec;
          metrics.p99VsInProcess = metrics.p99Ms / Math.max(base.p99Ms, 1e-3);
        }
        return { metrics, targets: targets(name, mode, !!base), setup: { kind: 'dispatch layer', world: 'generated grid', bots, rooms, nodes: mode === 'in-process' ? 0 : nodes, store: 'memory', loop: 'closed', rateLimit: 'lifted', load: loadAverage() } };
      } finally {
        closeAll(clients);
        await server.stop();
      }
    },
  };
}

function targets(name: string, mode: BenchMode, compared: boolean): Target[] {
  const out: Target[] = [];
  if (name === 'hot' && mode === 'function') {
    out.push({ metric: 'commandsPerSec', op: '>=', value: 2 * PEER_HOT_CMDS, label: `>= ${2 * PEER_HOT_CMDS} commands/s (2x RanvierMUD's ${PEER_HOT_CMDS})` });
    if (compared) out.push({ metric: 'p99VsInProcess', op: '<=', value: 1, label: "p99 no worse than in-process's" });
  }
  if (name === 'spread' && mode === 'in-process') {
    out.push({ metric: 'commandsPerSec', op: '>=', value: TARGET_SPREAD_CMDS, label: `>= ${TARGET_SPREAD_CMDS.toLocaleString('en')} commands/s` });
  }
  out.push({ metric: 'errors', op: '==', value: 0, label: 'no lost commands' });
  return out;
}

export const hot = roomLoad('hot', 1, ['in-process', 'function'], 'bots in one room over telnet, closed loop look/say/move and back: commands/s, p99, refusals, ratio to in-process');
export const spread = roomLoad('spread', 12, ['in-process'], 'the hot workload over 12 rooms');
