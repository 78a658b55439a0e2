import { InvalidArgumentError, type Command } from 'commander';
import { resolve } from 'node:path';
import { port, positiveInt, seconds } from './cli-options.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { RAID_ROOM, RAID_TARGET, runSwarm, type SwarmPhase, type SwarmResult } from '../bots/bot-swarm.js';

const DEFAULT_ROOM = 'mystical_plaza';
import { ProgressBar } from './progress-bar.js';

const LABELS: Record<SwarmPhase, string> = { connect: 'connecting', run: 'partying', quit: 'leaving' };

export function botsCommand(program: Command): void {
  program.command('bots')
    .description('connect N bot players, walk them to a room and have them emote / say / look; a summary at the end')
    .option('--count <n>', 'how many bots', positiveInt, 100)
    .option('--room <room>', `the room they gather in (with --raid: ${RAID_ROOM})`, DEFAULT_ROOM)
    .option('--rate <r>', 'commands per second per bot', fraction, 0.5)
    .option('--duration <s>', 'seconds to act once all are connected (0 = until Ctrl-C)', nonNegative, 30)
    .option('--ws', 'play over WebSocket (ws://host:http-port/play) instead of telnet')
    .option('--host <host>', 'the server\'s address', '127.0.0.1')
    .option('--telnet-port <port>', 'the server\'s telnet port', port, 4000)
    .option('--http-port <port>', 'the server\'s HTTP port (for --ws)', port, 4001)
    .option('--prefix <letters>', 'bot names are this plus three letters (default bot, or guest with --guest)')
    .option('--guest', 'log in as guests ("guest <name>": no account, no password hash on the server)')
    .option('--password <pw>', 'the bots\' password (used to create, then to connect)', 'botpass')
    .option('--wander <f>', 'fraction of bots that wander out and back', fraction, 0.05)
    .option('--concurrency <n>', 'bots logging in at once', positiveInt, 50)
    .option('--world <dir>', 'the world the server runs (for routes)', DEFAULT_WORLD)
    .option('--raid', `a raid: gather in ${RAID_ROOM} and attack the ${RAID_TARGET} (again after each death), instead of chatting`)
    .option('--json', 'print the summary as one JSON object')
    .action(async (o) => {
      const abort = new AbortController();
      watchStops(abort);
      const bar = new ProgressBar();
      try {
        const room = o.raid && o.room === DEFAULT_ROOM ? RAID_ROOM : o.room;
        const result = await runSwarm({
          count: o.count, room, raid: o.raid ? RAID_TARGET : undefined, rate: o.rate, durationMs: o.duration * 1000, ws: !!o.ws, host: o.host,
          telnetPort: o.telnetPort, httpPort: o.httpPort, prefix: o.prefix, guest: !!o.guest, password: o.password, wander: o.wander,
          concurrency: Math.max(1, o.concurrency), world: resolve(o.world), signal: abort.signal,
          onProgress: (phase, done, total) => { if (total > 0) bar.update(LABELS[phase], done, total); },
        });
        process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : formatSummary(result, room));
        if (result.errors > 0) process.exitCode = 1;
      } catch (err) {
        process.stderr.write(`mud bots: ${(err as Error).message}\n`);
        process.exitCode = 1;
      }
      // Stray timers (a server that never answers) must not keep the process alive after the summary.
      setTimeout(() => process.exit(), 500).unref();
    });
}

/** Ctrl-C, SIGTERM, or the party runner that started us going away: every bot quits, then the summary. */
function watchStops(abort: AbortController): void {
  const stop = () => {
    if (abort.signal.aborted) process.exit(130); // a second Ctrl-C: leave now
    abort.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (process.send) process.once('disconnect', () => abort.abort());
}

export function formatSummary(r: SwarmResult, room: string): string {
  const ms = (us: number) => (us >= 10_000 ? `${Math.round(us / 1000)} ms` : `${(us / 1000).toFixed(1)} ms`);
  const perSecond = r.perSecond.length ? ` (slowest second ${Math.min(...r.perSecond)}, busiest ${Math.max(...r.perSecond)})` : '';
  const lines = [
    `bots: ${r.bots}, ${r.connected} logged in, ${r.placed} reached ${room}${r.arrivalMs ? ` (all in after ${(r.arrivalMs / 1000).toFixed(1)} s)` : ''}`,
    `commands: ${r.sent} sent, ${r.answered} answered, ${r.refused} refused by the server, ${r.errors} errors, ${r.delayed} ticks delayed (bot still waiting)`,
    `reply latency: p50 ${ms(r.latencyUs.p50)}, p99 ${ms(r.latencyUs.p99)}, max ${ms(r.latencyUs.max)}`,
    `throughput: ${r.answersPerSec} answers/s over ${(r.runMs / 1000).toFixed(1)} s${perSecond}`,
    ...r.firstErrors.map((e) => `error: ${e}`),
  ];
  return `${lines.join('\n')}\n`;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a number >= 0`);
  return n;
}

function nonNegative(value: string): number {
  return value === '0' ? 0 : seconds(value);
}
