import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadWorld } from '../world/files/world-loader.js';
import { formatWorldError } from '../world/files/world-def.js';

export function worldCommand(program: Command): void {
  const world = program.command('world').description('work with world files');
  world.command('check')
    .argument('<path>', 'world directory')
    .description('validate a world: schema, exits, items, ids, scripts; exit 0 when clean, 1 with file:line:column errors; warnings (unreachable rooms, one-way exits, hooks no message reaches, script files nothing names) exit 0 unless --strict')
    .option('--strict', 'exit 1 on warnings too')
    .option('--pedantic', 'warn also of nouns in room descriptions that no extra description or item answers')
    .action(async (path: string, opts: { strict?: boolean; pedantic?: boolean }) => {
      const loaded = await loadWorld(resolve(path), { pedantic: opts.pedantic });
      if (!loaded.ok) {
        for (const e of loaded.errors) process.stderr.write(`${formatWorldError(e)}\n`);
        process.stderr.write(`${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'} in ${path}\n`);
        process.exitCode = 1;
        return;
      }
      const w = loaded.world;
      for (const e of loaded.warnings) process.stderr.write(`${formatWorldError({ ...e, message: `warning: ${e.message}` })}\n`);
      const warned = loaded.warnings.length ? `, ${loaded.warnings.length} warning${loaded.warnings.length === 1 ? '' : 's'}` : '';
      if (opts.strict && loaded.warnings.length) process.exitCode = 1;
      process.stdout.write(`${path}: ok (${w.name}: ${Object.keys(w.rooms).length} rooms in ${Object.keys(w.areas).length} area${Object.keys(w.areas).length === 1 ? '' : 's'}, ${Object.keys(w.items).length} items, start ${w.startRoom}${warned})\n`);
    });
}
