// kill -9 the real server in the middle of play, restart it on the same data
// dir: every item still exists exactly once, and each player's last
// acknowledged command is there (they stand where their last answered move put them).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { FileStore } from '../store/file-store.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { conservationErrors } from './helpers/conservation.js';

const TITLES = ['The Old Armory', 'The Mystical Plaza', 'The Lantern Market'];
/** Where a move leads from each room the loop can reach. */
const EXITS: Record<string, Record<string, string>> = {
  'The Mystical Plaza': { east: 'The Old Armory', west: 'The Lantern Market' },
  'The Old Armory': { west: 'The Mystical Plaza' },
  'The Lantern Market': { east: 'The Mystical Plaza' },
};
/** The room an answer put the player in (a move's answer starts with the room's description). */
const roomIn = (answer: string) => TITLES.find((t) => answer.split('\n').includes(t));

async function login(port: number, name: string, verb: string): Promise<TelnetClient> {
  const c = await TelnetClient.open(port);
  await c.nextAnswer();
  const a = await c.command(`${verb} ${name} secret`);
  if (!a.includes('Welcome')) throw new Error(a);
  return c;
}

describe('crash recovery', () => {
  let server: ServerProcess | undefined;
  let dir = '';
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const mode of ['actor', 'in-process']) {
    it(`crash - kill -9 mid-load in ${mode} mode loses no acknowledged command`, async () => {
      dir = await mkdtemp(join(tmpdir(), 'mud-crash-'));
      server = await spawnServer(['--data-dir', dir, '--nodes', '2', '--dispatch', mode]);
      const names = ['anna', 'boris', 'cleo', 'dmitri', 'elsa', 'fynn', 'greta', 'hugo', 'ines', 'jakob'];
      const clients = await Promise.all(names.map((n) => login(server!.telnetPort, n, 'create')));
      // The last room a move's answer showed, and where the unanswered move in
      // flight at the crash would have taken the player: that move may or may
      // not have committed, but the answered one must be there.
      const last = new Map<string, string>(names.map((n) => [n, 'The Mystical Plaza']));
      const inFlight = new Map<string, string>();
      let running = true;
      const loops = clients.map(async (c, i) => {
        const name = names[i];
        for (let k = 0; running; k++) {
          const dir = k % 2 === 0 ? 'east' : 'west';
          const items = k % 2 === 0 ? ['open chest', 'take sword from chest'] : ['drop sword'];
          const to = EXITS[last.get(name)!][dir];
          if (to) inFlight.set(name, to);
          try {
            const room = roomIn(await c.command(dir));
            if (room) last.set(name, room);
            inFlight.delete(name);
            for (const cmd of items) await c.command(cmd);
          } catch {
            return; // the server died under us: what was answered before counts
          }
        }
      });
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1000));
      await server.kill9();
      running = false;
      await Promise.all(loops);
      for (const c of clients) c.close();

      server = await spawnServer(['--data-dir', dir, '--nodes', '2', '--dispatch', mode]);
      // Sessions die with the server: nobody is online after the restart until they log in again.
      const first = await login(server.telnetPort, names[0], 'connect');
      expect(await first.command(`tell ${names[1]} are you there?`)).toMatch(/is not online\./);
      first.close();
      for (const name of names) {
        const c = await login(server.telnetPort, name, 'connect');
        // Another player's leaving may be told just before the look: find the room's title line.
        const here = roomIn(await c.command('look'));
        expect([last.get(name), inFlight.get(name)], `${name} is in ${here}`).toContain(here);
        c.close();
      }
      await server.stop();
      server = undefined;
      const store = await FileStore.open(dir);
      const world = await loadLiveWorld(DEFAULT_WORLD);
      expect(await conservationErrors(store, world.definition)).toEqual([]);
      await store.close();
      await rm(dir, { recursive: true, force: true });
      dir = '';
    }, 90_000);
  }
});
