// kill -9 the real server while players die, loot their corpses and corpses
// crumble, then restart it on the same data dir: crash recovery delivers what
// was in flight (a thing on its way into a corpse, a crumbled corpse its room
// still lists), and every item exists exactly once.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { FileStore } from '../store/file-store.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { conservationErrors } from './helpers/conservation.js';

const PIT = `
world: { name: Pit, start: gate }
rooms:
  gate:
    name: The Gate
    description: Safe ground.
    exits: { north: pit }
    items: [pebble, stone, shell, twig, acorn, feather]
  pit:
    name: The Pit
    description: Sand and old blood.
    exits: { south: gate }
    items: [ogre]
items:
  ogre: { kind: npc, name: a huge ogre, keywords: [ogre], description: Enormous., hp: 1000000, damage: 1000, respawn: 1 }
  pebble: { kind: item, name: a pebble, description: Round., respawn: never }
  stone: { kind: item, name: a flat stone, description: Flat., respawn: never }
  shell: { kind: item, name: a snail shell, description: Spiral., respawn: never }
  twig: { kind: item, name: a twig, description: Dry., respawn: never }
  acorn: { kind: item, name: an acorn, description: Small., respawn: never }
  feather: { kind: item, name: a feather, description: Light., respawn: never }
  corpse: { kind: corpse, name: a corpse, keywords: [corpse], description: Still., decay: 1s }
`;

async function login(port: number, name: string): Promise<TelnetClient> {
  const c = await TelnetClient.open(port);
  await c.nextAnswer();
  const a = await c.command(`create ${name} secret`);
  if (!a.includes('Welcome')) throw new Error(a);
  return c;
}

describe('death - crash recovery', () => {
  let server: ServerProcess | undefined;
  let dir = '';
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const mode of ['actor', 'in-process']) {
    it(`death - kill -9 while players die, loot and corpses crumble (${mode}): every item exists exactly once after the restart`, async () => {
      dir = await mkdtemp(join(tmpdir(), 'mud-death-crash-'));
      const worldDir = join(dir, 'world');
      await mkdir(worldDir);
      await writeFile(join(worldDir, 'world.yaml'), PIT);
      const dataDir = join(dir, 'data');
      const args = ['--data-dir', dataDir, '--world', worldDir, '--nodes', '2', '--dispatch', mode];
      server = await spawnServer(args);
      const names = ['anna', 'boris', 'cleo', 'dmitri'];
      const clients = await Promise.all(names.map((n) => login(server!.telnetPort, n)));
      let running = true;
      let deaths = 0;
      const loops = clients.map(async (c) => {
        const round = ['get all', 'north', 'attack ogre', 'north', 'get all from corpse', 'get all', 'south', 'drop all'];
        try {
          while (running) {
            for (const cmd of round) {
              const answer = await c.command(cmd);
              if (/strikes you down/.test(answer)) deaths += 1;
            }
          }
        } catch {
          // the server died under us
        }
      });
      // Long enough for deaths, loot and crumbles to be under way; the crash lands wherever they are.
      const deadline = Date.now() + 8_000;
      while (deaths < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200));
      await server.kill9();
      running = false;
      await Promise.all(loops);
      for (const c of clients) c.close();
      expect(deaths).toBeGreaterThan(0);

      server = await spawnServer(args);
      const again = await TelnetClient.open(server.telnetPort);
      await again.nextAnswer();
      again.close();
      await server.stop();
      server = undefined;
      const store = await FileStore.open(dataDir);
      const world = await loadLiveWorld(worldDir);
      expect(await conservationErrors(store, world.definition)).toEqual([]);
      await store.close();
      await rm(dir, { recursive: true, force: true });
      dir = '';
    }, 90_000);
  }
});
