#!/usr/bin/env node
import { Command } from 'commander';
import { serveCommand } from './serve-command.js';
import { worldCommand } from './world-command.js';
import { adminCommands } from './admin-commands.js';
import { botsCommand } from './bots-command.js';
import { monitorCommand } from './monitor-command.js';
import { nodeCommand } from './node-command.js';
import { backupCommands } from './backup-command.js';
import { listWords, MODE_REGISTRY, MODES } from '../modes/registry.js';

const program = new Command('mud')
  .description(`lattice-mud: a MUD server whose objects run ${listWords(MODES.map((m) => MODE_REGISTRY[m].runsAs), 'or')}`)
  .version('0.1.0')
  .showHelpAfterError();

serveCommand(program);
worldCommand(program);
adminCommands(program);
botsCommand(program);
monitorCommand(program);
nodeCommand(program);
backupCommands(program);

await program.parseAsync(process.argv);
