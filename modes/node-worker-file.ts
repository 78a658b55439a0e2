import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The compiled entry of an embedded node (node-worker.ts), for `WorkerLattice`'s `entry`: next to this
 *  file when running from dist/, else in dist/ (tests run sources, workers run compiled code). A file of
 *  its own: importing node-worker.ts would run a node on the importing thread. */
export function nodeWorkerFile(): string {
  const here = fileURLToPath(new URL('./node-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  return join(fileURLToPath(new URL('../', import.meta.url)), 'dist', 'modes', 'node-worker.js');
}
