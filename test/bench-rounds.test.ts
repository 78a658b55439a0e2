// `npm run bench -- --rounds N` (bench/rounds.ts): the cells run round after round, a pair's ratio is
// taken within each round, and the summary is each figure's median, the targets judged on it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { medianCells, median } from '../bench/rounds.js';
import type { CellResult } from '../bench/scenario.js';

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const cell = (scenario: string, cmds: number, ratio: number | undefined, error?: string): CellResult => ({
  scenario, mode: 'in-process', seconds: 1, setup: {}, error,
  metrics: error ? {} : { commandsPerSec: cmds, ...(ratio === undefined ? {} : { shippedVsScriptless: ratio }) },
  targets: ratio === undefined ? [] : [{ metric: 'shippedVsScriptless', op: '>=', value: 0.8, label: 'x scriptless >= 0.8' }],
});

describe('bench rounds', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('bench rounds - the median of each figure over the rounds, a failed round left out, the targets judged on the medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const cells = [
      cell('hot-scriptless', 8000, undefined), cell('hot-shipped', 4000, 0.5),
      cell('hot-scriptless', 5000, undefined), cell('hot-shipped', 4500, 0.9),
      cell('hot-scriptless', 6000, undefined), cell('hot-shipped', 5100, 0.85),
      cell('hot-shipped', 0, undefined, 'the server did not start'),
    ];
    const medians = medianCells(cells);
    expect(medians.map((c) => c.scenario)).toEqual(['hot-scriptless', 'hot-shipped']);
    const shipped = medians[1];
    expect(shipped.metrics).toEqual({ commandsPerSec: 4500, shippedVsScriptless: 0.85 });
    expect(shipped.setup.rounds).toBe(3);
    expect(shipped.targets).toEqual([{ metric: 'shippedVsScriptless', op: '>=', value: 0.8, label: 'x scriptless >= 0.8', met: true }]);
  });

  it('bench rounds - the runner repeats the cells, numbers each round and writes the medians', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-rounds-'));
    const json = join(dir, 'rounds.json');
    const { stdout } = await run(process.execPath, ['dist/bench/run.js', '--scenario', 'micro', '--mode', 'in-process', '--smoke', '--rounds', '2', '--json', json], { cwd: ROOT, timeout: 120_000 });
    const report = JSON.parse(await readFile(json, 'utf8')) as { rounds: number; cells: CellResult[]; medians: CellResult[] };
    expect(report.rounds).toBe(2);
    expect(report.cells.map((c) => c.setup.round)).toEqual([1, 2]);
    expect(report.medians).toHaveLength(1);
    expect(report.medians[0].setup.rounds).toBe(2);
    const turns = report.cells.map((c) => c.metrics.turnsPerSec);
    expect(report.medians[0].metrics.turnsPerSec).toBeCloseTo((turns[0] + turns[1]) / 2, 6);
    expect(stdout).toContain('The median of each figure over 2 rounds');
    await expect(run(process.execPath, ['dist/bench/run.js', '--rounds', '1.5'], { cwd: ROOT })).rejects.toMatchObject({ stderr: expect.stringContaining('--rounds must be a whole number') });
  }, 150_000);
});
