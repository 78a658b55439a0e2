import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../bin/server.js';
import type { RunningServer, ServerOptions } from '../../bin/server-options.js';
import { DEFAULT_WORLD } from '../../support/paths.js';
import { silentLogger } from '../../support/logger.js';
import { TelnetClient } from '../../portal/telnet/telnet-client.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Stops the server (data kept) for a restart on the same data dir. */
  stop(): Promise<void>;
  /** Stops it and removes its data dir. */
  cleanup(): Promise<void>;
}

/** A real server on port 0 with a fresh data dir, quick password hashing and a silent log. */
export async function startTestServer(opts: Partial<ServerOptions> & { dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'mud-test-')));
  const server = await startServer({
    host: '127.0.0.1', telnetPort: 0, httpPort: 0, adminPort: 0, world: DEFAULT_WORLD, dispatch: 'in-process', log: silentLogger(), kdfCost: 1024,
    ...opts, dataDir,
  });
  return {
    ...server,
    dataDir,
    stop: () => server.close('test'),
    cleanup: async () => {
      await server.close('test');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs a new (or existing) character in over telnet and returns the client at its first game prompt. */
export async function player(port: number, name: string, password = 'secret', verb: 'create' | 'connect' = 'create'): Promise<TelnetClient> {
  const c = await TelnetClient.open(port);
  await c.nextAnswer(); // the welcome screen
  const answer = await c.command(`${verb} ${name} ${password}`);
  if (!answer.includes(`Welcome, ${name.charAt(0).toUpperCase()}`)) throw new Error(`login of ${name} failed: ${answer}`);
  return c;
}
