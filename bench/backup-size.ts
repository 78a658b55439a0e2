// Backup and restore of a large store, the layers alone (no server, no HTTP):
// a file store holding N generated object records is snapshotted, written as a
// backup file, read back and checked, and restored into an empty file store.
//
//   node dist/bench/backup-size.js [--objects 1000000]
//
// Through `mud backup` the server adds the HTTP stream; through `mud restore` the
// CLI adds the item audit. Both are linear in the keys, as these steps are.

import { parseArgs } from 'node:util';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { FileStore } from '../store/file-store.js';
import { BACKUP_FORMAT, BACKUP_VERSION, entryLine, headerLine, readBackup } from '../bin/backup-file.js';
import { restoreInto } from '../bin/restore.js';
import { RESULTS_DIR } from './bench-world.js';

const { values } = parseArgs({ options: { objects: { type: 'string', default: '1000000' } } });
const objects = Number(values.objects);
if (!Number.isInteger(objects) || objects < 1) throw new Error('--objects must be a whole number >= 1');

await mkdir(RESULTS_DIR, { recursive: true });
const dir = await mkdtemp(join(RESULTS_DIR, 'backup-size-'));
const secs = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const rss = () => `${Math.round(process.memoryUsage().rss / 1e6)} MB rss`;
try {
  // Records shaped like a room's or a chest's: some state, a contents list, a short outbox.
  let t = performance.now();
  const live = await FileStore.open(join(dir, 'live'));
  for (let i = 0; i < objects; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, objects - i) }, (_, j) => live.put(`item/gen${i + j}`, {
      state: { open: (i + j) % 2 === 0, contents: [`item/coin${i + j}`], hp: 8, owner: `player/p${(i + j) % 997}` },
      recent: [[`m-${i + j}`, [], Date.now()]],
    })));
  }
  await live.compact();
  console.log(`generated ${objects} records in ${secs(t)} s (${rss()})`);

  t = performance.now();
  const snapshot = await live.snapshot();
  console.log(`snapshot: ${snapshot.entries.length} keys in ${secs(t)} s (${rss()})`);
  t = performance.now();
  const file = join(dir, 'world.backup');
  const out = createWriteStream(file);
  out.write(headerLine({ format: BACKUP_FORMAT, version: BACKUP_VERSION, cut: snapshot.cut, taken: new Date().toISOString(), store: 'file', world: 'generated', modes: 'actor', keys: snapshot.entries.length }));
  for (const e of snapshot.entries) if (!out.write(entryLine(e))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  const bytes = (await stat(file)).size;
  console.log(`written: ${(bytes / 1e6).toFixed(0)} MB in ${secs(t)} s`);
  await live.close();

  t = performance.now();
  const backup = await readBackup(file);
  console.log(`read and checked: ${backup.entries.length} keys in ${secs(t)} s (${rss()})`);
  t = performance.now();
  const into = await FileStore.open(join(dir, 'restored'));
  await restoreInto(into, backup, false);
  await into.close();
  console.log(`restored into an empty file store (durable, closed): ${secs(t)} s (${rss()})`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
