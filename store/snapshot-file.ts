// The file store's snapshot, state.json: { "version": 1, "entries": { key: [revision, json | null] } }.
// Written in slices with the event loop free between them, because the file is the whole world: built as
// one string it held the thread that serves every player for as long as the stringify took (100,000
// records, 28 MB: a 350 ms stall on the 2-core machine, and a stall per 64 MiB of journal). Written to a
// temporary file, synced and renamed, so state.json is always whole.

import { open, readFile, rename, unlink } from 'node:fs/promises';
import type { SnapshotEntry } from './memory-store.js';
import { ignoreMissing } from './durable-files.js';

/** Records per slice: about 300 KB of text for the shipped world's records, well under a millisecond to build. */
const SLICE = 2_000;

export interface Snapshot { version: 1; entries: Record<string, SnapshotEntry> }

/** Writes `keys` as they stand when each slice is built (`entry` reads one; undefined: gone, left out). */
export async function writeSnapshotFile(path: string, keys: readonly string[], entry: (key: string) => SnapshotEntry | undefined, sync: boolean): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.write('{"version":1,"entries":{');
    let first = true;
    for (let from = 0; from < keys.length; from += SLICE) {
      let text = '';
      for (let i = from; i < Math.min(from + SLICE, keys.length); i++) {
        const e = entry(keys[i]!);
        if (e === undefined) continue;
        text += `${first ? '' : ','}${JSON.stringify(keys[i])}:${JSON.stringify(e)}`;
        first = false;
      }
      await fh.write(text); // the event loop runs between slices
    }
    await fh.write('}}\n');
    if (sync) await fh.datasync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(ignoreMissing);
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
}

/** The snapshot at `path`; an empty one when there is none yet. */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
    throw err;
  }
  return JSON.parse(text) as Snapshot;
}
