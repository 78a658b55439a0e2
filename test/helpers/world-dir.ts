import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A world file written to a temporary directory for the tests of one `describe`
 *  (made before them, removed after); returns the world directory's path when called. */
export function worldDirFor(yaml: string, prefix = 'mud-world-'): () => string {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), yaml);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => join(dir, 'world');
}
