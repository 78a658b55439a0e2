// Equipment, in every dispatch mode: armour declares its slot in the world
// files, is worn and removed, listed by `equipment`, turns aside part of every
// blow, and leaves its wearer like anything carried (dropped, or in a corpse).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say } from './helpers/transcript.js';
import { conservationErrors } from './helpers/conservation.js';
import { loadWorld } from '../world/files/world-loader.js';

const ANN = 'player/ann';

const KEEP = `
world: { name: Keep, start: hall }
rooms:
  hall:
    name: The Hall
    description: Banners.
    exits: { north: yard }
    items: [cap, helm, buckler, sword]
  yard:
    name: The Yard
    description: Dust.
    exits: { south: hall }
    items: [dummy]
items:
  cap: { kind: armor, name: a leather cap, keywords: [cap, leather], description: Soft., slot: head, armor: 1 }
  helm: { kind: armor, name: an iron helm, keywords: [helm, iron], description: Hard., slot: head, armor: 3 }
  buckler: { kind: armor, name: a wooden buckler, keywords: [buckler, wooden], description: Round., slot: shield, armor: 4 }
  sword: { kind: weapon, name: a steel sword, keywords: [sword], description: Sharp., damage: 1 }
  dummy: { kind: npc, name: a sparring dummy, keywords: [dummy], description: Padded., hp: 100000, damage: 6, respawn: 1 }
`;

describe('equipment', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-equipment-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), KEEP);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [mode, nodes] of MODES) {
    it(`equipment - ${mode}: wear, remove and eq; one thing a slot; armour turns aside blows; what is dropped is no longer worn`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: join(dir, 'world') });
      try {
        await h.engine.connect(ANN);
        await say(h, 'get all');
        expect(await say(h, 'wear sword')).toBe("You can't wear a steel sword.");
        expect(await say(h, 'wear cap')).toBe('You wear a leather cap on your head.');
        expect(await say(h, 'wear helm')).toBe('You are already wearing a leather cap on your head. ("remove" it first.)');
        expect(await say(h, 'remove cap')).toBe('You take off a leather cap.');
        expect(await say(h, 'remove cap')).toBe("You aren't wearing that.");
        expect(await say(h, 'wear helm')).toBe('You wear an iron helm on your head.');
        expect(await say(h, 'wear buckler')).toBe('You wear a wooden buckler as a shield.');
        const eq = await say(h, 'eq');
        expect(eq).toContain('<head>    an iron helm');
        expect(eq).toContain('<shield>  a wooden buckler');
        expect(eq).toContain('<feet>    nothing');
        expect(eq).toMatch(/Your armour turns aside 7 damage a blow\.$/);
        expect(await say(h, 'inventory')).toContain('an iron helm (worn on your head)');
        expect(await say(h, 'look helm')).toContain('It is worn: head. It turns aside 3 damage a blow.');

        // The dummy hits for 3 to 9: 7 turned aside leaves at most 2.
        await say(h, 'north');
        const fight = await say(h, 'attack dummy');
        const hit = /A sparring dummy (?:hits you for (\d+)|misses you)/.exec(fight);
        expect(hit, fight).not.toBeNull();
        expect(Number(hit![1] ?? 0)).toBeLessThanOrEqual(2);
        await say(h, 'flee');

        expect(await say(h, 'drop helm')).toBe('You drop an iron helm.');
        expect(await say(h, 'eq')).toContain('<head>    nothing');
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);
  }

  it('world check - armour names a slot that exists', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'mud-armor-check-'));
    try {
      await writeFile(join(bad, 'world.yaml'), 'world: { name: W, start: a }\nrooms:\n  a: { name: A, description: A., items: [hat, boot] }\nitems:\n'
        + '  hat: { kind: armor, name: a hat, description: A hat., slot: crown }\n  boot: { kind: armor, name: a boot, description: A boot. }\n');
      const loaded = await loadWorld(bad);
      expect(loaded.ok ? [] : loaded.errors.map((e) => e.message)).toEqual([
        'items.hat.slot must be one of head, neck, body, arms, hands, waist, legs, feet, shield, not \'crown\'',
        "items.boot is missing required key 'slot'",
      ]);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
