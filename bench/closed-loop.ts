// Closed-loop bots over telnet: each sends its next command when the prompt for
// the last one comes back. Shared by `uniform`, `hot` and `spread`: commands/s
// and the latency from a line to its prompt, with refusals (busy world, rate
// limit) counted apart so a refused command never passes for a completed one.

import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { Histogram } from '../support/histogram.js';
import { LoopMeter, REFUSED } from './bots.js';
import type { BenchServer } from './server-process.js';
import type { Status } from '../ops/status.js';
import { sleep, type BenchOptions } from './scenario.js';

/** What a bot says next, and what it learns from the answer (where it now is). */
export interface BotScript {
  next(bot: number): string;
  answered?(bot: number, refused: boolean): void;
}

interface Tally {
  hist: Histogram;
  commands: number;
  refused: number;
  errors: number;
}

/** Bots in named groups (the gateway each is connected to): figures per group as well. */
export interface BotGroups {
  names: string[];
  of(bot: number): number;
}

/** Something else read over the measuring window (a nats-server's message counts): started
 *  as the window opens, and its figures merged into the cell's as it closes. */
export interface WindowMeter {
  start(): Promise<void>;
  stop(seconds: number): Promise<Record<string, number>>;
  /** The window stays open until this settles too (a change it measures has finished). */
  settled?(): Promise<void>;
}

export interface ClosedLoopExtras {
  groups?: BotGroups;
  meters?: WindowMeter[];
}

const newTally = (): Tally => ({ hist: new Histogram(), commands: 0, refused: 0, errors: 0 });

/** Runs every bot closed loop for a warm-up and then `opts.duration` seconds of measurement. */
export async function measureClosedLoop(
  clients: TelnetClient[], script: BotScript, server: Pick<BenchServer, 'status' | 'cpuMicros'>, opts: BenchOptions, extras: ClosedLoopExtras = {},
): Promise<Record<string, number>> {
  const { groups, meters = [] } = extras;
  const tally = newTally();
  const tallies = groups?.names.map(newTally);
  let counting = false;
  let stop = false;
  const loops = clients.map((c, i) => botLoop(c, i, script, () => stop, () => (counting ? tally : undefined), () => (counting ? tallies?.[groups!.of(i)] : undefined)));
  await sleep(opts.smoke ? 200 : 1000); // warm-up: JIT, caches, connections settle
  const loop = new LoopMeter();
  const cpuBefore = await server.cpuMicros();
  for (const m of meters) await m.start();
  const started = performance.now();
  counting = true;
  await Promise.all([sleep(opts.duration * 1000), ...meters.map((m) => m.settled?.())]);
  counting = false;
  const metered: Record<string, number> = {};
  for (const m of meters) Object.assign(metered, await m.stop((performance.now() - started) / 1000));
  // The server's own view of its last status window: which thread was busy (the gateway's
  // loop, or a node's). Asked once the window is over: building a status stalls the gateway
  // for a few ms, which would show in the p99 measured.
  const frames = [await server.status()];
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = (await server.cpuMicros() - cpuBefore) / (seconds * 1e6);
  const botElu = loop.utilisation();
  stop = true;
  await Promise.race([Promise.all(loops), sleep(15_000)]);
  const perGroup: Record<string, number> = {};
  for (const [g, t] of (tallies ?? []).entries()) {
    const name = groups!.names[g];
    Object.assign(perGroup, { [`${name}.commandsPerSec`]: t.commands / seconds, [`${name}.p50Ms`]: t.hist.quantile(0.5) / 1000, [`${name}.p99Ms`]: t.hist.quantile(0.99) / 1000 });
  }
  return {
    ...perGroup,
    ...metered,
    commandsPerSec: tally.commands / seconds, p50Ms: tally.hist.quantile(0.5) / 1000, p99Ms: tally.hist.quantile(0.99) / 1000,
    maxMs: tally.hist.max / 1000, serverCpu, botElu, refused: tally.refused, refusedPerSec: tally.refused / seconds, errors: tally.errors,
    // Server CPU per completed command: the gateway's (and nodes') cost of one.
    cpuMicrosPerCommand: tally.commands ? (serverCpu * seconds * 1e6) / tally.commands : 0,
    ...threadLoads(frames),
    ...contention(frames[0]),
  };
}

/** Function mode's contention in the server's last status window: compare-and-swaps its store refused
 *  (the embedded store's: where the gateway commits), and races the hot objects' batches lost, wherever
 *  they committed (each run again, or replayed where it commutes: docs/architecture/mergeable-state.md). */
function contention(frame: Status): { casConflictsPerSec: number; hotConflictsPerSec: number } {
  return { casConflictsPerSec: frame.store.conflictsPerSec, hotConflictsPerSec: frame.hot.reduce((n, h) => n + h.conflictsPerSec, 0) };
}

/** Event-loop utilisation of the gateway's main thread, and of the busiest node (0 without nodes). */
function threadLoads(frames: Status[]): { gatewayElu: number; nodeElu: number } {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const eluOf = (id: string) => mean(frames.flatMap((f) => f.nodes.filter((n) => n.id === id).map((n) => n.elu)));
  const nodes = [...new Set(frames.flatMap((f) => f.nodes.map((n) => n.id)))].filter((id) => id !== 'gateway');
  return { gatewayElu: eluOf('gateway'), nodeElu: Math.max(0, ...nodes.map(eluOf)) };
}

async function botLoop(c: TelnetClient, i: number, script: BotScript, stopped: () => boolean, ...tallies: Array<() => Tally | undefined>): Promise<void> {
  while (!stopped()) {
    const line = script.next(i);
    const sent = performance.now();
    try {
      const answer = await c.command(line, 30_000);
      const refused = REFUSED.test(answer);
      const ms = performance.now() - sent;
      for (const t of tallies.map((f) => f())) {
        if (t && refused) t.refused += 1;
        else if (t) {
          t.hist.recordMs(ms);
          t.commands += 1;
        }
      }
      script.answered?.(i, refused);
    } catch {
      for (const t of tallies.map((f) => f())) if (t) t.errors += 1;
      if (c.isClosed) return;
    }
  }
}

/** A way out of a bot's home room and the way back: `east` then `west`. */
export interface OutAndBack {
  out: string;
  back: string;
}

/** look, say, out, back, again: every bot is home every fourth command (issue 15's peer workload). */
export function outAndBack(bots: number, moves: (bot: number) => OutAndBack): BotScript {
  const at = new Int32Array(bots);
  const said = new Int32Array(bots);
  const step = (i: number) => ['look', 'say', moves(i).out, moves(i).back][at[i]];
  return {
    next(i) {
      return at[i] === 1 ? `say hello number ${++said[i]}` : step(i);
    },
    // A refused move did not happen: say it again rather than wander off.
    answered(i, refused) {
      if (!refused || at[i] < 2) at[i] = (at[i] + 1) % 4;
    },
  };
}
