// Death with a cost, in every dispatch mode: the fallen wake at the start with
// nothing, what they carried lies in their corpse where they fell (each item
// still exactly once), anyone may loot it, and it crumbles after a while, its
// contents falling to the room. Dead creatures are bodies, not listed as alive.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say, heard } from './helpers/transcript.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';
import { loadWorld } from '../world/files/world-loader.js';

const ANN = 'player/ann';
const BOB = 'player/bob';

const GRAVEYARD = `
world: { name: Graveyard, start: gate }
rooms:
  gate:
    name: The Gate
    description: Safe ground.
    exits: { north: pit }
    items: [pebble, stone, lantern]
  pit:
    name: The Pit
    description: Sand and old blood.
    exits: { south: gate }
    items: [ogre]
items:
  ogre: { kind: npc, name: a huge ogre, keywords: [ogre], description: Enormous., hp: 1000, damage: 400, respawn: 1 }
  pebble: { kind: item, name: a pebble, keywords: [pebble], description: Round., respawn: never }
  stone: { kind: item, name: a flat stone, keywords: [stone, flat], description: Flat., respawn: never }
  lantern: { kind: item, name: a tin lantern, keywords: [lantern, tin], description: Dented., respawn: never }
  corpse: { kind: corpse, name: a corpse, keywords: [corpse, body], description: Still., decay: 6s }
`;

/** The graveyard with a rat in the pit that stays dead a while: a creature's body beside a player's corpse. */
const RAT_PIT = `${GRAVEYARD.replace('items: [ogre]', 'items: [ogre, rat]')}  rat: { kind: npc, name: a small rat, keywords: [rat], description: Small., hp: 1, damage: 0, respawn: 10m }
`;



describe('death', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-death-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), GRAVEYARD);
    await mkdir(join(dir, 'rat-pit'));
    await writeFile(join(dir, 'rat-pit', 'world.yaml'), RAT_PIT);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [mode, nodes] of MODES) {
    it(`death - ${mode}: the fallen wake with nothing, their things lie in their corpse, another player loots it; a corpse crumbles to the room`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: join(dir, 'world') });
      try {
        await h.engine.connect(ANN);
        await h.engine.connect(BOB);
        expect(await say(h, 'take pebble')).toBe('You take a pebble.');
        expect(await say(h, 'take stone')).toBe('You take a flat stone.');
        await say(h, 'north');
        const death = await say(h, 'attack ogre');
        expect(death).toContain('A huge ogre strikes you down. Everything goes dark...');
        expect(death).toContain('You wake with nothing but your life. What you carried lies with your corpse where you fell.');
        expect(death).toMatch(/The Gate\nSafe ground\./);
        expect(await say(h, 'inventory')).toBe('You are carrying nothing.');
        expect(await say(h, 'score')).toMatch(/Hit points: 100\/100/);

        await say(h, 'north', BOB);
        await waitUntil(async () => /the corpse of Ann/.test(await say(h, 'look', BOB)), 5_000, () => 'no corpse in the pit');
        await waitUntil(async () => /It holds a pebble and a flat stone\./.test(await say(h, 'look corpse', BOB)), 5_000, () => 'the corpse does not hold what Ann carried');
        expect(await say(h, 'take corpse', BOB)).toBe("You can't take the corpse of Ann.");
        expect(await say(h, 'get all from corpse', BOB)).toBe('You take a pebble and a flat stone from the corpse of Ann.');
        expect(await say(h, 'look corpse', BOB)).toMatch(/Nothing is left on it\.$/);
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);

        // A second death, and nobody loots: the corpse crumbles and the lantern falls to the pit.
        await say(h, 'south', BOB);
        expect(await say(h, 'take lantern')).toBe('You take a tin lantern.');
        await say(h, 'north');
        await say(h, 'attack ogre');
        await say(h, 'north', BOB);
        await waitUntil(() => heard(h, /The corpse of Ann crumbles to dust, leaving a tin lantern\./, BOB), 15_000, () => 'the corpse never crumbled');
        await waitUntil(async () => /You see a huge ogre and a tin lantern\./.test(await say(h, 'look', BOB)), 5_000, () => 'the lantern did not fall to the room');
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);

    it(`death - ${mode}: a dead creature's body answers to "body" and "corpse", after a fallen player's corpse`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: join(dir, 'rat-pit') });
      try {
        await h.engine.connect(ANN);
        await h.engine.connect(BOB);
        expect(await say(h, 'take pebble')).toBe('You take a pebble.');
        await say(h, 'north');
        expect(await say(h, 'attack rat')).toContain('It collapses, dead.');
        expect(await say(h, 'look')).toContain('You see a huge ogre and the body of a small rat.');
        // Before, the body that `look` lists could not be looked at by what it is called.
        expect(await say(h, 'look body')).toBe('Small.\nA small rat lies dead.');
        expect(await say(h, 'get all from corpse')).toBe('The body of a small rat holds nothing: what it carried fell to the ground.');
        expect(await say(h, 'get all from 2.body')).toBe('You don\'t see "2.body" here.');

        expect(await say(h, 'attack ogre')).toContain('A huge ogre strikes you down.');
        await say(h, 'north', BOB);
        await waitUntil(async () => /the corpse of Ann/.test(await say(h, 'look', BOB)), 5_000, () => 'no corpse in the pit');
        // The rat lies before Ann's corpse in the room; her corpse answers to "corpse" itself, so it comes first.
        expect(await say(h, 'get all from corpse', BOB)).toBe('You take a pebble from the corpse of Ann.');
        expect(await say(h, 'look 2.corpse', BOB)).toBe('Small.\nA small rat lies dead.');
        expect(await say(h, 'kill 2.body', BOB)).toBe('A small rat is already dead.');
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});

describe('death - the corpse in world files', () => {
  async function errorsOf(yaml: string): Promise<string[]> {
    const dir = await mkdtemp(join(tmpdir(), 'mud-corpse-check-'));
    try {
      await writeFile(join(dir, 'world.yaml'), yaml);
      const loaded = await loadWorld(dir);
      return loaded.ok ? [] : loaded.errors.map((e) => e.message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const base = 'world: { name: W, start: a }\nrooms:\n  a: { name: A, description: A., items: [%ITEMS%] }\nitems:\n';

  it('world check - only the item corpse is of kind corpse, it is placed nowhere, and its decay is a duration', async () => {
    expect(await errorsOf(`${base.replace('%ITEMS%', '')}  corpse: { kind: corpse, name: a body, keywords: [body], description: Still., decay: 2m }\n`)).toEqual([]);
    expect(await errorsOf(`${base.replace('%ITEMS%', '')}  corpse: { kind: item, name: a body, keywords: [body], description: Still. }\n`))
      .toEqual(["the item 'corpse' must be of kind corpse (it is what a fallen player leaves)"]);
    expect(await errorsOf(`${base.replace('%ITEMS%', '')}  husk: { kind: corpse, name: a husk, keywords: [husk], description: Dry. }\n`))
      .toEqual(["only the item 'corpse' may be of kind corpse, not 'husk'"]);
    expect(await errorsOf(`${base.replace('%ITEMS%', 'corpse')}  corpse: { kind: corpse, name: a body, keywords: [body], description: Still. }\n`))
      .toEqual(["item 'corpse' is made where a player falls: it cannot be placed"]);
    expect((await errorsOf(`${base.replace('%ITEMS%', '')}  corpse: { kind: corpse, name: a body, keywords: [body], description: Still., decay: soon }\n`))[0]).toMatch(/decay/);
  });
});
