import type { Command } from 'commander';
import { resolve } from 'node:path';
import { startServer } from './server.js';
import { DEFAULT_WORLD } from './paths.js';
import { port } from './cli-options.js';

export function serveCommand(program: Command): void {
  program.command('serve')
    .description('serve the game: telnet on --telnet-port, WebSocket play and the admin API on --http-port')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--telnet-port <port>', 'telnet port (0 picks a free one)', port, 4000)
    .option('--http-port <port>', 'HTTP port: web client, ws://.../play, admin API (0 picks one)', port, 4001)
    .option('--world <dir>', 'world directory', DEFAULT_WORLD)
    .option('--data-dir <dir>', 'where accounts and the world state are saved (created if missing)', './.mud-data')
    .option('--dispatch <spec>', 'in-process | actor | function, or per kind: room=function,item=actor,default=actor', 'in-process')
    .option('--wizard <name>', 'make this character a wizard (the first account created always is)')
    .option('--admin-token <token>', 'token for the admin API (default: $MUD_ADMIN_TOKEN, or generated into <data-dir>/admin.token)')
    .action(async (o) => {
      const server = await startServer({
        host: o.host, telnetPort: o.telnetPort, httpPort: o.httpPort, world: resolve(o.world), dataDir: resolve(o.dataDir),
        dispatch: o.dispatch, wizard: o.wizard, adminToken: o.adminToken,
      }).catch((err: Error) => {
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
