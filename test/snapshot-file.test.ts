// The file store's snapshot writer: written in slices with the event loop free between them, read back whole.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSnapshotFile, writeSnapshotFile } from '../store/snapshot-file.js';
import type { SnapshotEntry } from '../store/memory-store.js';

const dir = mkdtempSync(join(tmpdir(), 'lattice-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('snapshot file', () => {
  it('reads each key in a later turn of the event loop than the slice before, so play goes on while a world is written', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `room/r${i}`);
    let turn = 0;
    let ticking = true;
    const tick = (): void => {
      turn += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const turnOf: number[] = [];
    await writeSnapshotFile(join(dir, 'sliced.json'), keys, (key) => {
      turnOf.push(turn);
      return [1, JSON.stringify({ key })];
    }, false);
    ticking = false;
    expect(turnOf).toHaveLength(keys.length);
    // 10,000 records in slices of 2,000: at least four times the loop ran between two reads.
    const steps = turnOf.filter((t, i) => i > 0 && t > turnOf[i - 1]!).length;
    expect(steps).toBeGreaterThanOrEqual(4);
  });

  it('round-trips revisions, tombstones, text that needs escaping and a key named __proto__; a key gone meanwhile is left out', async () => {
    const entries: Record<string, SnapshotEntry> = Object.create(null);
    entries['room/a'] = [3, JSON.stringify({ say: 'a "quote", a \\ and a line\nend', café: 'ü' })];
    entries['item/gone'] = [7, null];
    entries['__proto__'] = [1, '{"odd":true}'];
    const path = join(dir, 'state.json');
    await writeSnapshotFile(path, [...Object.keys(entries), 'room/vanished'], (key) => entries[key], true);
    const back = await readSnapshotFile(path);
    expect(back.version).toBe(1);
    expect(Object.keys(back.entries).sort()).toEqual(['__proto__', 'item/gone', 'room/a']);
    expect(back.entries['room/a']).toEqual(entries['room/a']);
    expect(back.entries['item/gone']).toEqual([7, null]);
    expect(Object.getOwnPropertyDescriptor(back.entries, '__proto__')?.value).toEqual([1, '{"odd":true}']);
  });

  it('is an empty snapshot where none was written yet', async () => {
    expect(await readSnapshotFile(join(dir, 'none.json'))).toEqual({ version: 1, entries: {} });
  });
});
