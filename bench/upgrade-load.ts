// upgrade (issue 26): `mud upgrade` under the shipped hot room. `mud serve` as
// shipped (default world with its scripts, file store, 3 nodes) with 200 accounts
// in the plaza cycling look / say / east / west, closed loop. A steady window,
// then a window that opens with `POST /admin/upgrade` and stays open until the
// successor serves: the longest any player waited for an answer across the
// hand-over (p99, max), commands lost (sent, never answered: counted by the bots
// themselves, not by the window), sockets dropped.

import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { closeAll, loginBots } from './bots.js';
import { measureClosedLoop, outAndBack, type WindowMeter } from './closed-loop.js';
import { adminCall, procCpuMicros } from './mud-process.js';
import { ServedServer } from './served-server.js';
import { PLAZA_HOME } from './shipped-world.js';
import { loadAverage, sleep, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

export interface UpgradeAnswer {
  ok: boolean;
  pid?: number;
  sessions?: number;
  players?: number;
  pausedMs?: number;
  error?: string;
}

export const upgradeLoad: Scenario = {
  name: 'upgrade',
  modes: ['in-process', 'actor', 'function'],
  smokeModes: ['in-process', 'function'],
  about: 'shipped: mud serve, default world, file store; 200 accounts in the plaza (look/say/east/west) while `mud upgrade` hands every socket to a successor',
  async run(mode: BenchMode, opts: BenchOptions) {
    const bots = opts.size ?? (opts.smoke ? 4 : 200);
    const nodes = opts.nodes ?? (opts.smoke ? (mode === 'in-process' ? 0 : 1) : undefined);
    const server = await ServedServer.start({ world: DEFAULT_WORLD, dispatch: mode, nodes, profileDir: opts.profileDir });
    let clients: TelnetClient[] = [];
    let successor: number | undefined;
    try {
      opts.progress(`upgrade ${mode}: ${bots} accounts created over telnet (real password hash)`);
      clients = await loginBots(server.telnetPort, bots, { concurrency: 50 });
      // CPU is read from whichever process serves: the first, then its successor.
      const serving = { status: () => server.status(), cpuMicros: async () => procCpuMicros(successor ?? server.pid) };
      // Sent and answered, counted apart from the window: a command the hand-over lost is never answered.
      let sent = 0;
      let answeredCount = 0;
      const lastAnswer = new Float64Array(clients.length);
      const window = (meters: WindowMeter[]) => {
        const script = outAndBack(clients.length, () => PLAZA_HOME);
        return measureClosedLoop(clients, {
          next: (i) => ((sent += 1), script.next(i)),
          answered: (i, refused) => ((answeredCount += 1), (lastAnswer[i] = performance.now()), script.answered?.(i, refused)),
        }, serving, opts, { meters });
      };
      opts.progress(`upgrade ${mode}: steady window`);
      const steady = await window([]);
      opts.progress(`upgrade ${mode}: mud upgrade`);
      let answer: UpgradeAnswer = { ok: false };
      let pending: Promise<number> = Promise.resolve(0);
      const upgraded = await window([{
        start: async () => {
          const t0 = performance.now();
          pending = adminCall<UpgradeAnswer>(server.adminPort, 'POST', '/admin/upgrade').then((a) => {
            answer = a;
            successor = a.pid;
            return performance.now() - t0;
          });
          pending.catch(() => undefined);
        },
        // Open until every bot has had an answer from the successor: the commands that waited out the
        // hand-over are answered just after it says it serves, and belong in this window.
        settled: async () => {
          await pending.catch(() => undefined);
          const up = performance.now();
          const deadline = up + 30_000;
          while (lastAnswer.some((t, i) => t <= up && !clients[i].isClosed) && performance.now() < deadline) await sleep(20);
        },
        stop: async () => ({ upgradeMs: await pending }),
      }]);
      if (!answer.ok) throw new Error(`the upgrade failed: ${answer.error ?? 'no answer'}`);
      // The old process exits once it has answered; the successor serves the same sockets.
      const dropped = clients.filter((c) => c.isClosed).length;
      const metrics: Record<string, number> = {};
      for (const [name, m] of Object.entries({ steady, upgrade: upgraded })) {
        for (const k of ['commandsPerSec', 'p50Ms', 'p99Ms', 'maxMs', 'errors', 'refused']) metrics[`${name}.${k}`] = m[k];
      }
      Object.assign(metrics, {
        upgradeMs: upgraded.upgradeMs, pausedMs: answer.pausedMs ?? 0, sessions: answer.sessions ?? 0, dropped,
        'upgrade.maxVsSteadyP99': upgraded.maxMs / Math.max(steady.p99Ms, 1e-3),
        // Every bot's loop has ended (its last command answered, or given up on after 15 s).
        lost: sent - answeredCount,
      });
      return {
        metrics,
        targets: [
          { metric: 'lost', op: '==', value: 0, label: 'every command answered across the hand-over' },
          { metric: 'dropped', op: '==', value: 0, label: 'no socket dropped' },
          { metric: 'sessions', op: '==', value: bots, label: 'every session handed over' },
        ],
        setup: {
          kind: 'shipped', server: 'mud serve (own process), then its successor', world: 'default', bots, nodes: nodes ?? 'default (3)',
          store: 'file', passwordHash: 'scrypt N=16384 (shipped)', loop: 'closed', rateLimit: 'lifted', load: loadAverage(),
        },
      };
    } finally {
      closeAll(clients);
      await stopSuccessor(successor);
      await server.stop();
    }
  },
};

/** The successor is not this bench's child: SIGTERM by pid, then wait until it is gone. */
export async function stopSuccessor(pid: number | undefined): Promise<void> {
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
