// The results as a table a person can read: one block per scenario, one row
// per mode, the figures that matter for it, and each target with "ok" or
// "SHORT" beside it, so a shortfall cannot be missed.

import type { CellResult } from './scenario.js';

const ROOM_LOAD: Array<[metric: string, header: string]> = [['commandsPerSec', 'cmds/s'], ['p50Ms', 'p50 ms'], ['p99Ms', 'p99 ms'], ['refusedPerSec', 'refused/s'], ['vsInProcess', 'x in-proc'], ['p99VsInProcess', 'p99 x in-proc'], ['cpuMicrosPerCommand', 'cpu us/cmd'], ['serverCpu', 'srv cpu'], ['gatewayElu', 'gw elu'], ['nodeElu', 'node elu'], ['botElu', 'bot elu']];

const SHIPPED_LOAD: Array<[metric: string, header: string]> = [
  ['commandsPerSec', 'cmds/s'], ['p50Ms', 'p50 ms'], ['p99Ms', 'p99 ms'], ['vsInProcess', 'x in-proc'], ['cpuMicrosPerCommand', 'cpu us/cmd'],
  ['serverCpu', 'srv cpu'], ['gatewayElu', 'gw elu'], ['nodeElu', 'node elu'], ['rssPeakMiB', 'rss MiB'], ['allocKBPerCommand', 'alloc KB/cmd'], ['loginSec', 'login s'],
  ['botElu', 'bot elu'], ['casConflictsPerSec', 'cas confl/s'], ['hotConflictsPerSec', 'hot confl/s'],
];
const PAIRED = (metric: string, header: string): Array<[string, string]> => [[metric, `x ${header}`], [`p99${metric[0].toUpperCase()}${metric.slice(1)}`, `p99 x ${header}`]];
const PARTY: Array<[metric: string, header: string]> = [['arrivalSec', 'all in s'], ['emotesPerSec', 'emotes/s'], ['deliveriesPerSec', 'lines/s'], ['p99DeliveryMs', 'p99 ms'], ['hotRatio', 'hot/rest'], ['balance', 'max/mean'], ['conflictsPerSec', 'confl/s'], ['retriesPerTurn', 'retry/turn'], ['lost', 'lost'], ['unanswered', 'late'], ['serverCpu', 'srv cpu'], ['botElu', 'bot elu']];

const MARKET: Array<[metric: string, header: string]> = [
  ['tradesPerSec', 'trades/s'], ['p50TradeMs', 'p50 ms'], ['p99TradeMs', 'p99 ms'], ['aborted', 'aborted'], ['buysPerSec', 'buys/s'],
  ['sellsPerSec', 'sells/s'], ['openingRefused', 'opening refused'], ['sellsRefusedPerSec', 'sells refused/s'], ['buysRefusedPerSec', 'buys refused/s'],
  ['crowdCmdsPerSec', 'crowd/s'], ['itemErrors', 'item err'], ['coinErrors', 'coin err'],
];

const OVER_GATEWAYS: Array<[metric: string, header: string]> = [
  ['g1.commandsPerSec', 'cmds/s x1'], ['g2.commandsPerSec', 'x2'], ['g4.commandsPerSec', 'x4'], ['g2.vsG1', 'x2/x1'], ['g4.vsG1', 'x4/x1'],
  ['g1.p99Ms', 'p99 x1'], ['g4.p99Ms', 'p99 x4'], ['g4.p99VsG1', 'p99 x4/x1'], ['g1.gatewayEluMax', 'gw elu x1'], ['g4.gatewayEluMax', 'gw elu x4'],
  ['g4.nodeElu', 'node elu x4'], ['g4.natsMsgsPerSec', 'nats msg/s x4'], ['g4.conflictsPerSec', 'confl/s x4'], ['g1.cpuMicrosPerCommand', 'cpu us/cmd x1'],
];

/** Which metrics each scenario shows (all of them go to the JSON file). */
const COLUMNS: Record<string, Array<[metric: string, header: string]>> = {
  micro: [['turnsPerSec', 'turns/s'], ['ceilingTurnsPerSec', 'ceiling/s'], ['ratioToCeiling', 'ratio'], ['microsPerTurn', 'us/turn']],
  durable: [['memoryTurnsPerSec', 'memory/s'], ['durableTurnsPerSec', 'durable/s'], ['durableRatio', 'ratio'], ['commitsPerSec', 'commits/s'], ['writesPerCommit', 'writes/commit']],
  uniform: [['commandsPerSec', 'cmds/s'], ['p50Ms', 'p50 ms'], ['p99Ms', 'p99 ms'], ['maxMs', 'max ms'], ['vsInProcess', 'x in-proc'], ['serverCpu', 'srv cpu'], ['gatewayElu', 'gw elu'], ['nodeElu', 'node elu'], ['botElu', 'bot elu']],
  hot: ROOM_LOAD,
  spread: ROOM_LOAD,
  party: PARTY,
  'party-shipped': PARTY,
  'hot-gateways': OVER_GATEWAYS,
  'uniform-gateways': OVER_GATEWAYS,
  'uniform-local-gateways': [
    ['single.commandsPerSec', 'cmds/s single'], ['g1.commandsPerSec', 'x1'], ['g2.commandsPerSec', 'x2'], ['g2.vsG1', 'x2/x1'], ['g2.vsSingle', 'x2/single'],
    ['single.p99Ms', 'p99 single'], ['g1.p99Ms', 'x1'], ['g2.p99Ms', 'x2'], ['single.primaryCpuUsPerCommand', 'us/cmd single'], ['g1.primaryCpuUsPerCommand', 'primary us/cmd x1'], ['g2.primaryCpuUsPerCommand', 'x2'], ['g1.gatewayCpuUsPerCommand', 'gw us/cmd x1'], ['g2.gatewayCpuUsPerCommand', 'x2'], ['g2.errors', 'errors'],
  ],
  'gateway-churn': [
    ['steady.commandsPerSec', 'cmds/s'], ['steady.p99Ms', 'p99 steady'], ['join.p99Ms', 'p99 join'], ['leave.p99Ms', 'p99 leave'],
    ['join.p99VsSteady', 'join/steady'], ['leave.p99VsSteady', 'leave/steady'], ['join.changeMs', 'join ms'], ['leave.changeMs', 'leave ms'], ['errors', 'errors'],
  ],
  market: MARKET,
  'market-gateways': MARKET,
  upgrade: [
    ['steady.commandsPerSec', 'cmds/s'], ['steady.p99Ms', 'p99 steady'], ['upgrade.p99Ms', 'p99 upgrade'], ['upgrade.maxMs', 'max upgrade'],
    ['pausedMs', 'paused ms'], ['upgradeMs', 'upgrade ms'], ['sessions', 'sessions'], ['lost', 'lost'], ['dropped', 'dropped'],
  ],
  'hot-shipped': [...SHIPPED_LOAD, ...PAIRED('shippedVsScriptless', 'scriptless'), ...PAIRED('mergedVsUnmerged', 'unmerged')],
  'hot-scriptless': [...SHIPPED_LOAD, ...PAIRED('shippedVsScriptless', 'scriptless')],
  'hot-unmerged': [...SHIPPED_LOAD, ...PAIRED('mergedVsUnmerged', 'unmerged')],
  'spread-shipped': SHIPPED_LOAD,
  scripted: [...SHIPPED_LOAD, ...PAIRED('scriptedVsBare', 'bare')],
  'scripted-bare': [...SHIPPED_LOAD, ...PAIRED('scriptedVsBare', 'bare')],
  switch: [['switches', 'switches'], ['pauseP50Ms', 'pause p50'], ['pauseMaxMs', 'pause max'], ['lost', 'lost'], ['duplicated', 'dup'], ['unanswered', 'late'], ['p99DeliveryMs', 'p99 ms']],
  scale: [['objects', 'objects'], ['startupSec', 'start s'], ['startRssMiB', 'start rss'], ['rssMiB', 'rss MiB'], ['bytesPerObject', 'B/object'], ['firstLookMs', 'cold ms'], ['warmLookMs', 'warm ms']],
};

/** What a cell ran on, when its scenario says (`setup.kind`): `[shipped: ...]` or `[dispatch layer: ...]`. */
export function kindLabel(rows: CellResult[]): string {
  const kind = rows.find((c) => c.setup.kind)?.setup.kind;
  return kind === undefined ? '' : `  [${kind}: ${KINDS[String(kind)] ?? ''}]`;
}

const KINDS: Record<string, string> = {
  shipped: 'mud serve as its own process, the default world (its scripts and creatures), file store, accounts with the real password hash (party: guests, as a party arrives)',
  served: 'mud serve as its own process, a generated world, file store, accounts with the real password hash',
  'dispatch layer': 'startServer in a forked child, memory store, scrypt N=1024',
  cluster: 'mud serve --store nats gateways and mud node processes over one nats-server, guests',
  'local gateways': 'mud serve --gateways N as its own process tree (the primary holds the file store and node threads), a generated world, guests',
};

export function formatTable(cells: CellResult[]): string {
  const out: string[] = [];
  for (const scenario of [...new Set(cells.map((c) => c.scenario))]) {
    const rows = cells.filter((c) => c.scenario === scenario);
    const columns = COLUMNS[scenario] ?? Object.keys(rows[0].metrics).slice(0, 6).map((m) => [m, m] as [string, string]);
    const header = ['mode', ...columns.map(([, h]) => h), 'targets'];
    const body = rows.map((c) => [c.mode, ...columns.map(([m]) => c.error ? '-' : formatNumber(c.metrics[m])), verdict(c)]);
    out.push(`${scenario}${kindLabel(rows)}`, ...align([header, ...body]).map((l) => `  ${l}`), '');
  }
  return out.join('\n');
}

/** The same tables in Markdown, for docs/BENCHMARKS.md. */
export function formatMarkdown(cells: CellResult[]): string {
  const out: string[] = [];
  for (const scenario of [...new Set(cells.map((c) => c.scenario))]) {
    const rows = cells.filter((c) => c.scenario === scenario);
    const columns = COLUMNS[scenario] ?? [];
    out.push(`### ${scenario}${kindLabel(rows)}`, '', `| mode | ${columns.map(([, h]) => h).join(' | ')} | targets |`, `|${'---|'.repeat(columns.length + 2)}`);
    for (const c of rows) {
      const targets = c.error ? `FAILED: ${c.error}` : c.targets.map((t) => `${t.met ? 'ok' : '**SHORT**'} ${t.label}`).join('; ');
      out.push(`| ${c.mode} | ${columns.map(([m]) => (c.error ? '-' : formatNumber(c.metrics[m]))).join(' | ')} | ${targets} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function verdict(c: CellResult): string {
  if (c.error) return `FAILED: ${c.error}`;
  return c.targets.map((t) => `${t.met ? 'ok' : 'SHORT'} ${t.metric} ${t.label}`).join('; ');
}

export function formatNumber(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en');
  if (Math.abs(v) >= 10) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(1);
  return v === 0 ? '0' : v.toFixed(2);
}

/** Pads every column but the last to its widest cell. */
function align(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
}

// `node dist/bench/table.js <results.json> [--markdown]` prints a saved run again.
if (process.argv[1]?.endsWith('table.js')) {
  const [file, flag] = process.argv.slice(2);
  const { readFileSync } = await import('node:fs');
  const report = JSON.parse(readFileSync(file, 'utf8')) as { cells: CellResult[] };
  process.stdout.write(`${flag === '--markdown' ? formatMarkdown(report.cells) : formatTable(report.cells)}\n`);
}
