import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WORLD } from '../../support/paths.js';

/** A copy of the default world in a temporary directory, for tests that write world files (`@save`). */
export async function copyDefaultWorld(): Promise<{ dir: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mud-built-world-'));
  const dir = join(root, 'world');
  await cp(DEFAULT_WORLD, dir, { recursive: true });
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
}
