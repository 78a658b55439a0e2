import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The benchmark harness must not rot: every scenario at tiny sizes, a second
// or so per cell. Only the shape of the results is checked, never the figures
// (timing is measured in benchmarks, not asserted in tests). A scenario whose
// harness is the same code in every mode smokes one or two modes (its
// `smokeModes`); every mode is smoked by some scenario, `micro` by all three.

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const THREE = ['in-process', 'actor', 'function'];
const MATRIX: Record<string, string[]> = {
  micro: THREE, durable: ['function'], uniform: ['actor'], hot: ['in-process', 'function'], spread: ['in-process'],
  'hot-shipped': ['function'], 'hot-scriptless': ['function'], 'hot-unmerged': ['function'], 'spread-shipped': ['actor'],
  'scripted-bare': ['in-process'], scripted: ['in-process'], party: ['actor', 'actor-sharded'], 'party-shipped': ['in-process', 'function'],
  switch: ['actor-sharded', 'function'], 'switch-gateways': ['actor'], scale: ['actor'], clients: ['in-process'], script: ['in-process', 'actor'],
  'script-worst': ['in-process'], timers: ['in-process'], compaction: ['in-process'], raid: ['actor'], respawn: ['in-process'],
  gateways: ['function'], 'hot-gateways': ['function'], 'uniform-gateways': ['actor'], 'uniform-local-gateways': ['actor'], 'gateway-churn': ['function'], gwkill: ['function'],
  natskill: ['actor'], upgrade: ['in-process', 'function'], 'upgrade-party': ['actor'], market: ['in-process'], 'market-gateways': ['function'],
};

interface Cell {
  scenario: string;
  mode: string;
  metrics: Record<string, unknown>;
  setup: Record<string, unknown>;
  targets: Array<{ metric: string; met: unknown }>;
  error?: string;
}

describe('bench - smoke run of the matrix', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes every smoke cell of every scenario with numbers and judged targets', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    const json = join(dir, 'smoke.json');
    const { stdout } = await run(process.execPath, ['dist/bench/run.js', '--smoke', '--json', json], { cwd: ROOT, timeout: 1_500_000 });
    const report = JSON.parse(await readFile(json, 'utf8')) as { cells: Cell[]; machine: { cores: number } };

    expect(report.machine.cores).toBeGreaterThan(0);
    const failed = report.cells.filter((c) => c.error).map((c) => `${c.scenario}/${c.mode}: ${c.error}`);
    expect(failed).toEqual([]);
    const cells = report.cells.map((c) => `${c.scenario}/${c.mode}`).sort();
    const expected = Object.entries(MATRIX).flatMap(([s, modes]) => modes.map((m) => `${s}/${m}`)).sort();
    expect(cells).toEqual(expected);
    for (const c of report.cells) {
      expect(Object.keys(c.metrics).length, `${c.scenario}/${c.mode} has figures`).toBeGreaterThan(2);
      for (const [name, v] of Object.entries(c.metrics)) expect(Number.isFinite(v), `${c.scenario}/${c.mode} ${name}`).toBe(true);
      expect(c.targets.length, `${c.scenario}/${c.mode} is judged against targets`).toBeGreaterThan(0);
      for (const t of c.targets) expect(typeof t.met, `${c.scenario}/${c.mode} ${t.metric} judged`).toBe('boolean');
    }
    // The table a person reads names every scenario, and says what the closed-loop ones ran on.
    for (const s of Object.keys(MATRIX)) expect(stdout).toMatch(new RegExp(`\\n${s}(  \\[[^\\n]*\\])?\\n`));
    for (const s of ['hot', 'spread', 'uniform', 'party']) expect(stdout).toContain(`\n${s}  [dispatch layer: `);
    for (const s of ['hot-shipped', 'hot-scriptless', 'spread-shipped', 'party-shipped']) expect(stdout).toContain(`\n${s}  [shipped: `);
    // The shipped cells ran the default world, as mud serve, on the file store; their pairs were compared in the run.
    for (const c of report.cells.filter((x) => (x.setup as { kind?: string }).kind === 'shipped')) {
      expect(c.setup, `${c.scenario}/${c.mode}`).toMatchObject({ store: 'file', server: expect.stringMatching(/^mud serve \(own process\)/) });
    }
    // Each pair, smoked in one mode, was compared in the run.
    const metricsOf = (scenario: string) => report.cells.find((c) => c.scenario === scenario)?.metrics;
    expect(metricsOf('hot-scriptless')).toHaveProperty('shippedVsScriptless');
    expect(metricsOf('scripted')).toHaveProperty('scriptedVsBare');
    expect(metricsOf('hot-unmerged')).toHaveProperty('mergedVsUnmerged');
    // Every mode is smoked by some scenario.
    expect(new Set(report.cells.map((c) => c.mode))).toEqual(new Set([...THREE, 'actor-sharded']));
  }, 1_510_000);
});
