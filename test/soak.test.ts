// A short soak: bots play while nodes are killed, the world reloads and the
// mode switches live; then every item exists exactly once and every answered
// move stands. (Memory flatness needs the long run: `npm run soak`.)
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

describe('soak', () => {
  it('soak - 25 s of bots under node kills, reloads and live switches loses nothing', async () => {
    const seed = Number(process.env.SEED ?? Math.floor(Math.random() * 1e6));
    console.log(`soak - SEED=${seed}`);
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'dist/bench/soak-main.js'), '--duration', '25', '--bots', '8', '--seed', String(seed), '--json'], { maxBuffer: 16 * 1024 * 1024 })
      .catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr }));
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { commands: number; chaos: Record<string, number>; itemErrors: string[]; lostMoves: string[] };
    expect(r.itemErrors).toEqual([]);
    expect(r.lostMoves).toEqual([]);
    expect(r.commands).toBeGreaterThan(100);
    expect(r.chaos.kill + r.chaos.reload + r.chaos.switch).toBeGreaterThan(2);
  }, 180_000);
});
