// Fleeing walks as any step does (issue 23): a shut door on the way it picks
// stops the flight and the fight goes on; opened, the same flight gets away and
// the fight ends. Over telnet, in every dispatch mode (the door is an object of
// its own, so its answer crosses nodes as actors and as functions).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer } from './helpers/test-server.js';

// One way out of the yard, behind a gate that starts shut: every flight picks it.
const GATED = `
world: { name: Gate, start: yard }
rooms:
  yard:
    name: The Yard
    description: Mud.
    exits: { north: { to: hall, door: gate } }
    items: [gnat]
  hall:
    name: The Hall
    description: Dry.
    exits: { south: { to: yard, door: gate } }
items:
  gate: { kind: door, name: an iron gate, keywords: [gate], description: Bars. }
  gnat: { kind: npc, name: a gnat, keywords: [gnat], description: Tiny., hp: 100000, damage: 0 }
`;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mud-flee-'));
  await mkdir(join(dir, 'world'));
  await writeFile(join(dir, 'world', 'world.yaml'), GATED);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('flee through doors', () => {
  for (const mode of ['in-process', 'actor', 'function']) {
    it(`flee - ${mode}: a shut door stops the flight and the fight goes on; open, the flight gets away`, async () => {
      const server = await startTestServer({ world: join(dir, 'world'), dispatch: mode, nodes: mode === 'in-process' ? 0 : 2 });
      try {
        const c = await player(server.telnetPort, 'runner');
        await c.command('attack gnat');
        expect(await c.command('flee')).toContain('You try to flee north, but the iron gate is closed!');
        expect(await c.command('look')).toMatch(/^The Yard/);
        expect(await c.command('score')).toContain('You are fighting a gnat.');
        await c.command('open gate');
        const away = await c.command('flee');
        expect(away).toContain('You flee north!');
        expect(away).toContain('The Hall');
        expect(await c.command('score')).toContain('You are not fighting.');
        c.close();
      } finally {
        await server.cleanup();
      }
    }, 60_000);
  }
});
