// FileStore durability: recovery after close, after no close, after a torn
// append, after compaction, and after a real SIGKILL of a writing process.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileStore } from '../store/file-store.js';

const ROOT = join(import.meta.dirname, '..');
let scratch: string;
let n = 0;
const freshDir = (): string => join(scratch, `d${++n}`);

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'lattice-filestore-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function journalBytes(dir: string): Promise<number> {
  const names = (await readdir(dir)).filter((f) => f.startsWith('journal'));
  const sizes = await Promise.all(names.map(async (f) => (await stat(join(dir, f))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

describe('FileStore', () => {
  it('recovers everything after close, deletions and revisions included', async () => {
    const dir = freshDir();
    const a = await FileStore.open(dir);
    await a.put('room/a', { n: 1 });
    await a.cas('room/a', { n: 2 }, 1);
    await a.put('room/gone', 'x');
    await a.delete('room/gone');
    await a.put('__proto__', 'odd but valid key');
    await a.close();
    expect((await readdir(dir)).sort()).toEqual(['state.json']);

    const b = await FileStore.open(dir);
    expect(b.recoveryInfo).toMatchObject({ entries: 3, journalLines: 0 });
    expect(await b.get('room/a')).toEqual({ value: { n: 2 }, revision: 2 });
    expect(await b.get('room/gone')).toBeUndefined();
    expect(await b.get('__proto__')).toEqual({ value: 'odd but valid key', revision: 1 });
    expect(await b.cas('room/gone', 'back', 0)).toEqual({ ok: true, revision: 3 }); // continues past the tombstone
    await b.close();
  });

  it('recovers every resolved write from a copy taken without closing', async () => {
    const dir = freshDir();
    const a = await FileStore.open(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => a.put(`item/${i}`, i)));
    await a.delete('item/7');
    const copy = freshDir();
    await cp(dir, copy, { recursive: true });
    const b = await FileStore.open(copy);
    expect(b.recoveryInfo.journalLines).toBe(51);
    const all = await b.scan('item/');
    expect(all).toHaveLength(49);
    expect(await b.get('item/42')).toEqual({ value: 42, revision: 1 });
    await Promise.all([a.close(), b.close()]);
  });

  it('ignores a torn last journal line and keeps working after it', async () => {
    const dir = freshDir();
    const a = await FileStore.open(dir);
    await a.put('room/a', 'kept');
    const copy = freshDir();
    await cp(dir, copy, { recursive: true });
    await a.close();
    await appendFile(join(copy, 'journal.ndjson'), '{"k":"room/torn","r":1,"v":{"half');

    const b = await FileStore.open(copy);
    expect(await b.get('room/a')).toEqual({ value: 'kept', revision: 1 });
    expect(await b.get('room/torn')).toBeUndefined();
    await b.put('room/after', 1); // goes to a new journal, not after the torn tail
    const again = freshDir();
    await cp(copy, again, { recursive: true }); // b's files, as a crash would leave them
    const c = await FileStore.open(again);
    expect(await c.get('room/after')).toEqual({ value: 1, revision: 1 });
    await Promise.all([b.close(), c.close()]);
  });

  it('refuses a corrupt line in the middle, naming file and line', async () => {
    const dir = freshDir();
    await mkdir(dir);
    await writeFile(join(dir, 'journal.ndjson'), '{"k":"a","r":1,"v":1}\nnot json\n{"k":"a","r":2,"v":2}\n');
    await expect(FileStore.open(dir)).rejects.toThrow(/journal\.ndjson:2/);
  });

  it('compacts past compactEveryBytes without losing data', async () => {
    const dir = freshDir();
    const a = await FileStore.open(dir, { compactEveryBytes: 1000 });
    let written = 0;
    for (let i = 0; i < 300; i++) {
      await a.put(`room/${i % 20}`, { i, pad: 'x'.repeat(20) });
      written += 50;
    }
    await vi.waitFor(() => expect(a.compactions).toBeGreaterThan(0));
    // One may still be writing its snapshot (slice by slice) and renaming journals: join it, so nothing
    // moves under the checks and the copy below.
    await a.compact();
    expect(await journalBytes(dir)).toBeLessThan(written / 3);
    expect(existsSync(join(dir, 'state.json'))).toBe(true);
    const copy = freshDir();
    await cp(dir, copy, { recursive: true }); // recover from snapshot + journals, without close
    const b = await FileStore.open(copy);
    for (let k = 0; k < 20; k++) expect(await b.get(`room/${k}`)).toEqual(await a.get(`room/${k}`));
    expect(a.compactionError).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it('compacts on a timer with compactEveryMs', async () => {
    const dir = freshDir();
    const a = await FileStore.open(dir, { compactEveryMs: 20 });
    await a.put('room/a', 1);
    await vi.waitFor(() => expect(a.compactions).toBe(1));
    expect(await journalBytes(dir)).toBe(0);
    await a.close();
  });

  it('commits concurrent writes as one group', async () => {
    const a = await FileStore.open(freshDir());
    const before = a.stats().commits;
    await Promise.all(Array.from({ length: 50 }, (_, i) => a.put(`item/${i}`, i)));
    expect(a.stats().commits - before).toBeLessThanOrEqual(2);
    await a.close();
  });

  it('rejects writes whose journal append fails, and everything after', async () => {
    const a = await FileStore.open(freshDir());
    await a.put('room/a', 1);
    await (a as unknown as { fh: { close(): Promise<void> } }).fh.close(); // the disk "goes away"
    await expect(a.put('room/a', 2)).rejects.toThrow(/journal write failed/);
    await expect(a.get('room/a')).rejects.toThrow(/journal write failed/);
    await expect(a.close()).rejects.toThrow(/journal write failed/);
  });
});

describe('FileStore crash', () => {
  const compiled = join(ROOT, 'dist/store/file-store.js');

  beforeAll(() => {
    // `npm test` builds first. Building here would rewrite dist/ under the other test files'
    // running servers (a half-written module fails their imports).
    const fresh = existsSync(compiled) && statSync(compiled).mtimeMs >= statSync(join(ROOT, 'store/file-store.ts')).mtimeMs;
    if (!fresh) throw new Error(`${compiled} is missing or older than its source: run \`npm run build\` (npm test does)`);
  });

  it('keeps every acknowledged write after SIGKILL', async () => {
    const dir = freshDir();
    const script = join(scratch, 'crash-writer.mjs');
    await writeFile(script, childScript(pathToFileURL(compiled).href, dir));
    const acked = await runUntilKilled(script, 2000);
    expect(acked.size).toBeGreaterThan(0);

    const store = await FileStore.open(dir);
    for (const [key, revision] of acked) {
      const got = await store.get(key);
      expect(got?.revision, key).toBeGreaterThanOrEqual(revision);
      expect(got?.value).toEqual({ rev: got?.revision });
    }
    await store.close();
  }, 60_000);
});

/** 20 concurrent writers over 10 keys, printing "key revision" per acknowledged cas. */
function childScript(moduleUrl: string, dir: string): string {
  return `import { FileStore } from ${JSON.stringify(moduleUrl)};
const store = await FileStore.open(${JSON.stringify(dir)}, { compactEveryBytes: 4096 });
async function writer(w) {
  for (let i = 0; ; i++) {
    const key = 'room/k' + ((w + i) % 10);
    const cur = await store.get(key);
    const rev = (cur?.revision ?? 0) + 1;
    const res = await store.cas(key, { rev }, cur?.revision ?? 0);
    if (res.ok) process.stdout.write(key + ' ' + res.revision + '\\n');
  }
}
for (let w = 0; w < 20; w++) writer(w);
`;
}

/** Runs the script, SIGKILLs it after `lines` acknowledgements, returns the highest acked revision per key. */
function runUntilKilled(script: string, lines: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, number>();
    let buffer = '';
    let count = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        const [key, rev] = line.split(' ');
        acked.set(key, Math.max(acked.get(key) ?? 0, Number(rev)));
        if (++count === lines) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`child exited early (code ${code}): ${stderr}`));
    });
  });
}
