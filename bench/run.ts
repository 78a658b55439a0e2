// `npm run bench`: the scenario matrix of issue 6, one cell per scenario and
// dispatch mode, run one after another (each bounds its own time and stops its
// own processes); prints a table and writes a JSON file a script can compare.
//
//   npm run bench                                   the whole matrix
//   npm run bench -- --scenario party --mode actor  one cell
//   npm run bench -- --smoke --json /tmp/x.json     tiny sizes (npm test runs this)

import { parseArgs } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { BENCH_MODES, judge, tidy, type BenchMode, type BenchOptions, type CellResult, type Scenario } from './scenario.js';
import { formatTable } from './table.js';
import { medianCells } from './rounds.js';
import { RESULTS_DIR } from './bench-world.js';
import { micro } from './micro.js';
import { durable } from './durable.js';
import { uniform } from './uniform.js';
import { party, partyShipped } from './party.js';
import { switching } from './switch.js';
import { switchGateways } from './switch-gateways.js';
import { scale } from './scale.js';
import { clients } from './clients.js';
import { scriptCall } from './script-call.js';
import { hot, spread } from './room-load.js';
import { timers } from './timers.js';
import { compaction } from './compaction.js';
import { raid } from './raid.js';
import { gateways } from './gateways.js';
import { gatewayKill } from './gateway-kill.js';
import { scriptWorst } from './script-worst.js';
import { respawn } from './respawn.js';
import { natsKill } from './nats-kill.js';
import { hotGateways, uniformGateways } from './gateway-load.js';
import { uniformLocalGateways } from './local-gateways.js';
import { gatewayChurn } from './gateway-churn.js';
import { upgradeLoad } from './upgrade-load.js';
import { upgradeParty } from './upgrade-party.js';
import { market } from './market.js';
import { marketGateways } from './market-gateways.js';
import { hotScriptless, hotShipped, hotUnmerged, scripted, scriptedBare, spreadShipped } from './shipped-load.js';

const SCENARIOS: Scenario[] = [micro, durable, uniform, hot, spread, hotShipped, hotScriptless, hotUnmerged, spreadShipped, scriptedBare, scripted, party, partyShipped, switching, switchGateways, scale, clients, scriptCall, scriptWorst, timers, compaction, raid, respawn, gateways, hotGateways, uniformGateways, uniformLocalGateways, gatewayChurn, gatewayKill, natsKill, upgradeLoad, upgradeParty, market, marketGateways];

const USAGE = `usage: npm run bench -- [--scenario <${SCENARIOS.map((s) => s.name).join('|')}>[,...]] [--mode <${BENCH_MODES.join('|')}>[,...]]
       [--duration <seconds>] [--size <n>] [--nodes <n>] [--rounds <n>] [--smoke] [--json <file>] [--profile <dir>]
       [--alloc-profile <dir>]`;

interface Cli extends BenchOptions {
  scenarios: Scenario[];
  /** The cells run this many times over, in order (bench/rounds.ts); the summary is their medians. */
  rounds: number;
  modes: readonly BenchMode[] | undefined;
  json: string;
}

function parseCli(argv: string[]): Cli {
  try {
    return cliFrom(argv);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${(err as Error).message.split('\n')[0]}\n${USAGE}`); // bad flags: one line, then the usage
  }
}

function cliFrom(argv: string[]): Cli {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' }, mode: { type: 'string' }, duration: { type: 'string' }, size: { type: 'string' },
      nodes: { type: 'string' }, rounds: { type: 'string' }, smoke: { type: 'boolean', default: false }, json: { type: 'string' }, profile: { type: 'string' },
      'alloc-profile': { type: 'string' }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new UsageError(USAGE, true);
  const smoke = values.smoke ?? false;
  return {
    scenarios: values.scenario ? values.scenario.split(',').map(findScenario) : SCENARIOS,
    modes: values.mode ? values.mode.split(',').map(checkMode) : undefined,
    duration: values.duration ? positive(values.duration, '--duration') : smoke ? 1 : 4,
    size: values.size ? positive(values.size, '--size') : undefined,
    nodes: values.nodes ? positive(values.nodes, '--nodes') : undefined,
    rounds: values.rounds ? whole(values.rounds, '--rounds') : 1,
    smoke,
    json: resolve(values.json ?? join(RESULTS_DIR, 'latest.json')),
    profileDir: values.profile ? resolve(values.profile) : undefined,
    allocDir: values['alloc-profile'] ? resolve(values['alloc-profile']) : undefined,
    progress: (line) => process.stderr.write(`[bench] ${line}\n`),
  };
}

class UsageError extends Error {
  constructor(message: string, readonly help = false) {
    super(message);
  }
}

function findScenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new UsageError(`unknown scenario "${name}"; expected one of ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}

function checkMode(name: string): BenchMode {
  if (!(BENCH_MODES as readonly string[]).includes(name)) throw new UsageError(`unknown mode "${name}"; expected one of ${BENCH_MODES.join(', ')}`);
  return name as BenchMode;
}

function whole(text: string, flag: string): number {
  const n = positive(text, flag);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number, not "${text}"`);
  return n;
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, not "${text}"`);
  return n;
}

async function runCell(s: Scenario, mode: BenchMode, opts: BenchOptions): Promise<CellResult> {
  const started = performance.now();
  opts.progress(`${s.name} / ${mode} ...`);
  try {
    const r = await s.run(mode, opts);
    const metrics = tidy(r.metrics);
    const cell = { scenario: s.name, mode, ...r, metrics, targets: judge(r.targets, r.metrics), seconds: (performance.now() - started) / 1000 };
    opts.progress(`${s.name} / ${mode} done in ${cell.seconds.toFixed(1)} s`);
    return cell;
  } catch (err) {
    const error = err instanceof Error ? err.message.split('\n')[0] : String(err);
    opts.progress(`${s.name} / ${mode} FAILED: ${error}`);
    return { scenario: s.name, mode, metrics: {}, targets: [], setup: {}, error, seconds: (performance.now() - started) / 1000 };
  }
}

function machine(): Record<string, string | number> {
  return {
    node: process.version, platform: `${process.platform} ${process.arch}`, cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  const cells: CellResult[] = [];
  const started = performance.now();
  for (let round = 1; round <= cli.rounds; round++) {
    if (cli.rounds > 1) cli.progress(`round ${round} of ${cli.rounds}`);
    for (const s of cli.scenarios) {
      const modes = cli.smoke && !cli.modes && s.smokeModes ? s.smokeModes : s.modes;
      for (const mode of modes.filter((m) => !cli.modes || cli.modes.includes(m))) {
        const cell = await runCell(s, mode, { ...cli, round });
        cells.push(cli.rounds > 1 ? { ...cell, setup: { ...cell.setup, round } } : cell);
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const medians = cli.rounds > 1 ? medianCells(cells) : undefined;
  const report = { date: new Date().toISOString(), machine: machine(), smoke: cli.smoke, duration: cli.duration, rounds: cli.rounds, seconds, cells, ...(medians ? { medians } : {}) };
  await mkdir(dirname(cli.json), { recursive: true });
  await writeFile(cli.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${formatTable(cells)}\n`);
  if (medians) process.stdout.write(`\nThe median of each figure over ${cli.rounds} rounds (a pair's ratio taken within each round):\n\n${formatTable(medians)}\n`);
  process.stdout.write(`${cells.length} cells in ${seconds.toFixed(0)} s on ${report.machine.cores} cores, Node ${process.version}; JSON: ${cli.json}\n`);
  if (cells.some((c) => c.error)) process.exitCode = 1;
}

main().catch((err: Error) => {
  if (err instanceof UsageError && err.help) return process.stdout.write(`${err.message}\n`);
  process.stderr.write(err instanceof UsageError ? `${err.message}\n` : `bench: ${err.stack ?? err.message}\n`);
  process.exit(2);
});
