import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadWorld } from '../world/world-loader.js';
import { formatWorldError } from '../world/world-def.js';

export function worldCommand(program: Command): void {
  const world = program.command('world').description('work with world files');
  world.command('check')
    .argument('<path>', 'world directory')
    .description('validate a world: schema, exits, items, ids, scripts; exit 0 when clean, 1 with file:line:column errors')
    .action(async (path: string) => {
      const loaded = await loadWorld(resolve(path));
      if (!loaded.ok) {
        for (const e of loaded.errors) process.stderr.write(`${formatWorldError(e)}\n`);
        process.stderr.write(`${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'} in ${path}\n`);
        process.exitCode = 1;
        return;
      }
      const w = loaded.world;
      process.stdout.write(`${path}: ok (${w.name}: ${Object.keys(w.rooms).length} rooms in ${Object.keys(w.areas).length} area${Object.keys(w.areas).length === 1 ? '' : 's'}, ${Object.keys(w.items).length} items, start ${w.startRoom})\n`);
    });
}
