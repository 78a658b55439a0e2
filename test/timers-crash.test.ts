// kill -9 the real server with timers pending, restart it on the same data dir:
// each committed timer fires exactly once after the restart, none before it is
// due, and a second crash after they fired does not fire them again.
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { bellWorldDir } from './helpers/bell-world.js';
import { waitUntil } from './helpers/nats-server.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

let worldDir: string;
beforeAll(async () => {
  worldDir = await bellWorldDir();
});
afterAll(async () => {
  await rm(dirname(worldDir), { recursive: true, force: true });
});

async function chimes(c: TelnetClient): Promise<{ chimes: number; early: number }> {
  const answer = await c.command('say count');
  const m = /chimes=(\d+) early=(\d+)/.exec(answer);
  if (!m) throw new Error(`no count in: ${answer}`);
  return { chimes: Number(m[1]), early: Number(m[2]) };
}

describe('timers across kill -9', () => {
  for (const mode of ['in-process', 'actor', 'function']) {
    it(`timers - ${mode}: timers pending at a kill -9 fire once after the restart, and never again`, async () => {
      const dataDir = join(dirname(worldDir), `data-${mode}`);
      const args = ['--data-dir', dataDir, '--world', worldDir, '--nodes', '2', '--dispatch', mode];
      let server: ServerProcess | undefined = await spawnServer(args);
      try {
        const c = await player(server.telnetPort, 'bob');
        // Two acknowledged timers: the answer came, so both are committed.
        expect(await c.command('say ring 1500')).toMatch(/You say/);
        expect(await c.command('say ring 1700')).toMatch(/You say/);
        await server.kill9();
        c.close();
        server = await spawnServer(args);
        expect(server.log()).toMatch(/timers restored pending=2/);
        const again = await player(server.telnetPort, 'bob', 'secret', 'connect');
        await waitUntil(async () => (await chimes(again)).chimes >= 2, 20_000, () => 'the timers never fired after the restart');
        expect(await chimes(again)).toEqual({ chimes: 2, early: 0 });
        await server.kill9();
        again.close();
        server = await spawnServer(args);
        expect(server.log()).not.toMatch(/timers restored/);
        const third = await player(server.telnetPort, 'bob', 'secret', 'connect');
        expect(await chimes(third)).toEqual({ chimes: 2, early: 0 });
        third.close();
      } finally {
        await server?.stop();
      }
    }, 90_000);
  }
});
