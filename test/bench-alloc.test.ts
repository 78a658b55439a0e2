// `npm run bench -- --alloc-profile <dir>` (bench/alloc-sampler.ts, bench/alloc-meter.ts): a shipped cell's
// `mud serve` samples what its gateway thread allocates during the window, the cell reports it per command,
// and profile-top.js reads the profile it wrote.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { CellResult } from '../bench/scenario.js';

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

describe('bench allocation profile', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('bench alloc - the shipped cell reports the bytes its server allocated per command, and the profile reads by function', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-alloc-'));
    const json = join(dir, 'cell.json');
    const profiles = join(dir, 'alloc');
    const { stdout } = await run(process.execPath, ['dist/bench/run.js', '--scenario', 'hot-shipped', '--mode', 'in-process', '--smoke', '--alloc-profile', profiles, '--json', json], { cwd: ROOT, timeout: 150_000 });
    expect(stdout).toContain('alloc KB/cmd');
    const report = JSON.parse(await readFile(json, 'utf8')) as { cells: CellResult[] };
    const m = report.cells[0].metrics;
    expect(report.cells[0].error).toBeUndefined();
    expect(m.commandsPerSec).toBeGreaterThan(0);
    // A command costs the gateway at least its line, its turn and its answer: far more than a kilobyte.
    expect(m.allocKBPerCommand).toBeGreaterThan(1);
    const files = await readdir(profiles);
    expect(files.filter((f) => f.endsWith('.heapprofile'))).toHaveLength(1);
    const top = await run(process.execPath, ['dist/bench/profile-top.js', profiles, '--top', '5', '--layers'], { cwd: ROOT });
    expect(top.stdout).toMatch(/MB allocated, [\d.]+ MB\/s over [\d.]+ s/);
    expect(top.stdout).toMatch(/world\/kinds|portal|world\/core/);
  }, 180_000);
});
