import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadWorld } from '../../world/files/world-loader.js';
import { formatWorldError, type WorldDefinition } from '../../world/files/world-def.js';

/** Worlds written to temporary directories and loaded as `mud world check` does; `cleanup` removes them. */
export function worldFiles() {
  const dirs: string[] = [];
  return {
    /** The loaded world, or the errors as `mud world check` prints them (paths relative to the world). */
    async check(files: Record<string, string>): Promise<{ world: WorldDefinition | undefined; errors: string[] }> {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'mud-world-'));
      dirs.push(dir);
      for (const [name, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
        await writeFile(path.join(dir, name), text);
      }
      const result = await loadWorld(dir);
      return result.ok ? { world: result.world, errors: [] } : { world: undefined, errors: result.errors.map((e) => formatWorldError({ ...e, file: path.relative(dir, e.file) })) };
    },
    async cleanup(): Promise<void> {
      await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
