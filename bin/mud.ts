#!/usr/bin/env node
import { Command } from 'commander';
import { serveCommand } from './serve-command.js';
import { worldCommand } from './world-command.js';
import { adminCommands } from './admin-commands.js';
import { botsCommand } from './bots-command.js';
import { monitorCommand } from './monitor-command.js';
import { nodeCommand } from './node-command.js';
import { backupCommands } from './backup-command.js';

const program = new Command('mud')
  .description('lattice-mud: a MUD server whose objects run in-process, as homed actors, or as stateless functions')
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
