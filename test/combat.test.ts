// Combat as a player meets it, in every dispatch mode: a fight is a stream of
// turns on timers; the weapon's damage, condition and charges matter; a kill
// drops the loot into the room exactly once; flee, death and score.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say, heard } from './helpers/transcript.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';

const ANN = 'player/ann';
const BOB = 'player/bob';



describe('combat', () => {
  for (const [mode, nodes] of MODES) {
    it(`combat - ${mode}: a sword kills the rat in a blow, its tail falls into the room once; the rune blade spends a charge per blow`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes });
      try {
        await h.engine.connect(ANN);
        await h.engine.connect(BOB);
        for (const step of ['south', 'east']) await say(h, step, BOB);
        await say(h, 'east');
        await say(h, 'open chest');
        expect(await say(h, 'take fine sword from chest')).toBe('You take a fine steel sword from the iron-bound chest.');
        expect(await say(h, 'take rune-etched sword from chest')).toBe('You take a rune-etched sword from the iron-bound chest.');
        for (const step of ['west', 'south', 'east']) await say(h, step);
        expect(await say(h, 'look')).toMatch(/The Bramble Hollow[\s\S]*a fat hedge rat/);
        expect(await say(h, 'wield fine sword')).toBe('You wield a fine steel sword.');
        const fight = await say(h, 'attack rat');
        expect(fight).toContain('You attack a fat hedge rat!');
        expect(fight).toContain('You hit a fat hedge rat with a fine steel sword for 8. It collapses, dead.');
        // One line for the kill, not three (issue 23).
        expect(fight.split('\n').filter((l) => /dead/.test(l))).toHaveLength(1);
        // The striker hears the loot fall after the blow that killed (it came first, from the room's own turn).
        expect(fight).toMatch(/It collapses, dead\.\nA rat's tail falls from a fat hedge rat\./);
        await waitUntil(() => heard(h, /A rat's tail falls from a fat hedge rat\./, BOB), 5_000, () => 'the onlooker saw no loot fall');
        expect(heard(h, /Ann hits a fat hedge rat\. It collapses, dead\./, BOB)).toBe(true);
        expect(await say(h, 'attack rat')).toBe('A fat hedge rat is already dead.');
        await waitUntil(async () => /the body of a fat hedge rat/.test(await say(h, 'look')), 5_000, () => 'the dead rat is listed as alive');
        // Once each: the room told the onlooker, not the striker again.
        for (const who of [ANN, BOB]) expect(h.lines.get(who)!.join('\n').match(/A rat's tail falls/g), who).toHaveLength(1);
        expect(await say(h, 'take tail')).toBe("You take a rat's tail.");
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);

        await say(h, 'wield rune-etched sword');
        const knight = await say(h, 'kill knight');
        expect(knight).toMatch(/The runes blaze as you strike! \(3 charges left\)/);
        expect(knight).toContain('You hit a straw knight with a rune-etched sword for 24. It is badly hurt (6/30).');
        // The next blow comes on the round timer: a fight is a stream of turns.
        await waitUntil(() => heard(h, /You hit a straw knight with a rune-etched sword for \d+\. It collapses, dead\./), 10_000, () => 'the knight never fell');
        expect(heard(h, /The runes blaze as you strike! \(2 charges left\)/)).toBe(true);
        await waitUntil(() => heard(h, /A tin medal falls from a straw knight/), 5_000, () => 'no medal fell');
        const score = await say(h, 'score');
        expect(score).toMatch(/^Ann\n {2}Hit points: \d+\/100\n {2}Level: 1 \(\d+ experience; level 2 at 100\)\n {2}Wielding: a rune-etched sword\n {2}Carrying: 3 things\n {2}Gold: none\n {2}You are not fighting\.$/);
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});

const ARENA = `
world: { name: Arena, start: gate }
rooms:
  gate:
    name: The Gate
    description: Safe ground.
    exits: { north: pit }
  pit:
    name: The Pit
    description: Sand and old blood.
    exits: { south: gate }
    items: [ogre, troll, moth]
items:
  ogre: { kind: npc, name: a huge ogre, keywords: [ogre], description: Enormous., hp: 1000, damage: 400, respawn: 1, contents: [club] }
  troll: { kind: npc, name: a slow troll, keywords: [troll], description: Slow., hp: 1000, damage: 0, respawn: 1 }
  moth: { kind: npc, name: a dusty moth, keywords: [moth], description: Fluttery., hp: 1, damage: 0, respawn: 1, contents: [dust, silk] }
  dust: { kind: item, name: some moth dust, keywords: [dust], description: Glittery. }
  silk: { kind: item, name: a silk thread, keywords: [silk, thread], description: Fine. }
  club: { kind: weapon, name: a knotted club, keywords: [club], description: Heavy., damage: 5 }
`;

describe('combat - death and flight', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-arena-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), ARENA);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('combat - a creature back from the dead takes back the loot nobody picked up; what was taken stays taken', async () => {
    const h = await engineHarness({ dispatch: 'in-process', nodes: 0, worldDir: join(dir, 'world') });
    try {
      await h.engine.connect(ANN);
      await say(h, 'north');
      expect(await say(h, 'attack moth')).toContain('You hit a dusty moth with your fists for 1. It collapses, dead.');
      await waitUntil(() => heard(h, /A silk thread falls from a dusty moth/), 5_000, () => 'no silk fell');
      expect(await say(h, 'take dust')).toBe('You take some moth dust.');
      await waitUntil(() => heard(h, /A dusty moth gathers up what it dropped\./), 10_000, () => 'the moth never came back for its loot');
      await h.engine.quiesce();
      const moth = (await h.store.get('item/moth'))?.value as { state: { contents: string[]; dead: boolean } };
      expect(moth.state).toMatchObject({ contents: ['item/silk'], dead: false });
      expect(await say(h, 'inventory')).toContain('some moth dust');
      expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
    } finally {
      await h.close();
    }
  }, 30_000);

  it('combat - a player struck down wakes whole at the start (with nothing: see death.test.ts); flee leaves the fight', async () => {
    const h = await engineHarness({ dispatch: 'actor', nodes: 2, worldDir: join(dir, 'world') });
    try {
      await h.engine.connect(ANN);
      await say(h, 'north');
      expect(await say(h, 'flee')).toBe('You are not fighting anyone.');
      const death = await say(h, 'attack ogre');
      expect(death).toContain('You hit a huge ogre with your fists for 1. It has a few scratches (999/1000).');
      expect(death).toContain('A huge ogre strikes you down. Everything goes dark...');
      expect(death).toMatch(/The Gate\nSafe ground\./);
      expect(await say(h, 'score')).toMatch(/Hit points: 100\/100[\s\S]*You are not fighting\./);
      await say(h, 'north');
      await say(h, 'attack troll');
      expect(await say(h, 'score')).toMatch(/You are fighting a slow troll\./);
      const fled = await say(h, 'flee');
      expect(fled).toMatch(/^You flee south!\nThe Gate/);
      expect(await say(h, 'score')).toMatch(/You are not fighting\./);
      expect(await say(h, 'attack troll')).toMatch(/You don't see|There is no|not here/i);
    } finally {
      await h.close();
    }
  }, 30_000);
});
