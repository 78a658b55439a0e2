import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '../support/logger.js';
import type { RunningServer } from './server-options.js';
import { httpAdminClient, loadMonitor } from './monitor-command.js';

/** `mud serve --monitor`: the terminal belongs to the monitor, so the log goes to <data-dir>/server.log. */
export function fileLogger(dataDir: string): Logger {
  let file: WriteStream | undefined;
  // Opened on the first line, after the server has checked the data dir is a fit place.
  return new Logger((line) => {
    if (!file) {
      mkdirSync(dataDir, { recursive: true });
      file = createWriteStream(join(dataDir, 'server.log'), { flags: 'a' });
    }
    file.write(`${line}\n`);
  });
}

/** Runs the monitor against this server's own admin API; q (or Ctrl-C) stops the server too. */
export async function watchInTerminal(server: RunningServer, stop: (why: string) => void): Promise<void> {
  const host = server.adminHost;
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  const target = { url: `http://${local}:${server.adminPort}`, token: server.adminToken };
  const json = !process.stdout.isTTY || !process.stdin.isTTY;
  const { runMonitor } = await loadMonitor(json);
  await runMonitor({ target, admin: httpAdminClient(target), json });
  stop('monitor closed');
}
