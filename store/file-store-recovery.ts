// Recovery of a FileStore's data directory: the snapshot (snapshot-file.ts), then every
// journal in order over it; and the names of the files both sides agree on.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSnapshotFile } from './snapshot-file.js';
import type { Json } from '../world/core/types.js';
import type { MemoryStore } from './memory-store.js';
import type { Snapshot } from './snapshot-file.js';

/** What `open` found, for the server to log. */
export interface RecoveryInfo { entries: number; journalFiles: number; journalLines: number; ms: number }
export interface Recovered { info: RecoveryInfo; retired: number[]; journalBytes: number }

export const SNAPSHOT = 'state.json';
export const JOURNAL = 'journal.ndjson';
export const RETIRED = /^journal\.(\d+)\.ndjson$/;
export const retired = (seq: number): string => `journal.${seq}.ndjson`;

// --- Recovery: snapshot, then every journal in order over it.

export async function recover(dir: string, mem: MemoryStore): Promise<Recovered> {
  const started = performance.now();
  const entries = await loadSnapshot(dir, mem);
  const names = await readdir(dir);
  const seqs = names.flatMap((n) => RETIRED.exec(n)?.[1] ?? []).map(Number).sort((a, b) => a - b);
  const files = seqs.map(retired).concat(names.includes(JOURNAL) ? [JOURNAL] : []);
  let journalLines = 0;
  let journalBytes = 0;
  for (const file of files) {
    const { lines, bytes } = await replay(join(dir, file), mem);
    journalLines += lines;
    journalBytes += bytes;
  }
  const info = { entries, journalFiles: files.length, journalLines, ms: performance.now() - started };
  return { info, retired: seqs, journalBytes };
}

async function loadSnapshot(dir: string, mem: MemoryStore): Promise<number> {
  const path = join(dir, SNAPSHOT);
  let snapshot: Partial<Snapshot> | null;
  try {
    snapshot = await readSnapshotFile(path);
  } catch (err) {
    throw new Error(`FileStore: unreadable snapshot ${path}: ${message(err)}`, { cause: err });
  }
  const { version, entries } = snapshot ?? {};
  if (version !== 1 || typeof entries !== 'object') throw new Error(`FileStore: ${path} is not a version 1 snapshot`);
  const keys = Object.keys(entries);
  for (const key of keys) mem.load(key, entries[key][0], entries[key][1] ?? undefined);
  return keys.length;
}

/** Applies one journal file. A last line without its newline is a torn append
 *  from a crash, never acknowledged: ignored. Any other bad line means damage
 *  we will not guess about: a clear error naming file and line. */
async function replay(path: string, mem: MemoryStore): Promise<{ lines: number; bytes: number }> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n');
  lines.pop(); // '' after the final newline, or the torn tail
  lines.forEach((line, i) => {
    const e = parseLine(line, `${path}:${i + 1}`);
    mem.load(e.k, e.r, 'v' in e ? JSON.stringify(e.v) : undefined);
  });
  return { lines: lines.length, bytes: Buffer.byteLength(text) };
}

function parseLine(line: string, where: string): { k: string; r: number; v?: Json; d?: true } {
  let o: { k?: unknown; r?: unknown; d?: unknown } | null;
  try {
    o = JSON.parse(line);
  } catch (err) {
    throw new Error(`FileStore: corrupt journal line ${where}: ${message(err)}`, { cause: err });
  }
  const bad = typeof o !== 'object' || o === null || !('v' in o || o.d === true);
  if (bad || typeof o?.k !== 'string' || !Number.isInteger(o.r) || (o.r as number) < 1) throw new Error(`FileStore: corrupt journal line ${where}: not a journal entry`);
  return o as { k: string; r: number; v?: Json };
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
