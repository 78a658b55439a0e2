import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { startServer, type ServerOptions } from './server.js';
import { DEFAULT_WORLD } from './paths.js';
import { port, positiveInt, seconds } from './cli-options.js';
import { DEFAULT_AUTO_PROMOTE } from '../dispatch/auto-promoter.js';

export function serveCommand(program: Command): void {
  program.command('serve')
    .description('serve the game: telnet on --telnet-port, WebSocket play, web client and admin API on --http-port')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--telnet-port <port>', 'telnet port (0 picks a free one)', port, 4000)
    .option('--http-port <port>', 'HTTP port: web client, ws://.../play, admin API (0 picks one)', port, 4001)
    .option('--world <dir>', 'world directory', DEFAULT_WORLD)
    .option('--data-dir <dir>', 'where accounts and the world state are saved (created if missing)', './.mud-data')
    .option('--dispatch <spec>', 'in-process | actor | function, or per kind/object: room=function,item=actor,default=actor', 'in-process')
    .option('--nodes <n>', 'embedded nodes (worker threads) for actor and function modes; 0 = in-process only', positiveInt, 3)
    .addOption(new Option('--function-pick <how>', 'how function mode picks a node').choices(['least-loaded', 'round-robin']).default('least-loaded'))
    .option('--shard-capacity <n>', 'actor mode: players per room before newcomers go to a shard (0 = off)', positiveInt, 0)
    .option('--auto-promote', 'switch actors with deep mailboxes to function mode on their own, and back when cool')
    .option('--promote-mailbox <n>', 'mailbox depth that counts as deep', positiveInt, DEFAULT_AUTO_PROMOTE.mailbox)
    .option('--promote-window <s>', 'seconds deep before promotion', seconds, DEFAULT_AUTO_PROMOTE.windowMs / 1000)
    .option('--promote-cool <s>', 'seconds cool before going back to actor', seconds, DEFAULT_AUTO_PROMOTE.coolMs / 1000)
    .option('--wizard <name>', 'make this character a wizard (the first account created always is)')
    .option('--admin-token <token>', 'token for the admin API (default: $MUD_ADMIN_TOKEN, or generated into <data-dir>/admin.token)')
    .action(async (o) => {
      const options: ServerOptions = {
        host: o.host, telnetPort: o.telnetPort, httpPort: o.httpPort, world: resolve(o.world), dataDir: resolve(o.dataDir),
        dispatch: o.dispatch, nodes: o.nodes, functionPick: o.functionPick, shardCapacity: o.shardCapacity,
        autoPromote: o.autoPromote ? { mailbox: o.promoteMailbox, windowMs: o.promoteWindow * 1000, coolMs: o.promoteCool * 1000 } : false,
        wizard: o.wizard, adminToken: o.adminToken,
      };
      const server = await startServer(options).catch((err: Error) => {
        process.stderr.write(`mud serve: ${err.message}\n`);
        process.exit(1);
      });
      const stop = (signal: string) => {
        void server.close(signal).then(() => process.exit(0), (err: Error) => {
          process.stderr.write(`mud serve: shutdown failed: ${err.message}\n`);
          process.exit(1);
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
