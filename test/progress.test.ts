// Progress, in every dispatch mode: a kill earns the creature's worth in
// experience, a level raises the most hit points and the blow, `score` shows
// both, and `consider` weighs a creature before a fight.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, heard, say } from './helpers/transcript.js';
import { waitUntil } from './helpers/nats-server.js';
import { xpForLevel } from '../world/core/progress.js';

const ANN = 'player/ann';
const BOB = 'player/bob';

const WOODS = `
world: { name: Woods, start: glade }
rooms:
  glade:
    name: The Glade
    description: Sunlit.
    exits: { north: thicket }
    items: [sword, fountain]
  thicket:
    name: The Thicket
    description: Thorny.
    exits: { south: glade }
    items: [boar, bear]
items:
  sword: { kind: weapon, name: a steel sword, keywords: [sword, steel], description: Sharp., damage: 10 }
  fountain: { kind: item, name: a stone fountain, keywords: [fountain], description: Wet., takeable: false }
  boar: { kind: npc, name: a wild boar, keywords: [boar], description: Tusked., hp: 5, damage: 0, xp: 120, respawn: 1 }
  bear: { kind: npc, name: a cave bear, keywords: [bear], description: Huge., hp: 1000, damage: 50, respawn: 1 }
`;

describe('progress', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-progress-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), WOODS);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [mode, nodes] of MODES) {
    it(`progress - ${mode}: a kill earns experience, a level gives hit points and a harder blow; consider weighs a creature`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: join(dir, 'world') });
      try {
        await h.engine.connect(ANN);
        expect(await say(h, 'score')).toContain(`Level: 1 (0 experience; level 2 at ${xpForLevel(2)})`);
        expect(await say(h, 'consider fountain')).toBe("You can't fight a stone fountain.");
        await say(h, 'take sword');
        await say(h, 'wield sword');
        await say(h, 'north');
        expect(await say(h, 'consider boar')).toBe('A wild boar could not hurt you.');
        expect(await say(h, 'consider bear')).toBe('A cave bear would kill you.');
        const kill = await say(h, 'attack boar');
        expect(kill).toContain('You hit a wild boar with a steel sword for 10. It collapses, dead.');
        expect(kill).toContain('You gain 120 experience for a wild boar.');
        expect(kill).toContain('You are now level 2! You have 110 hit points at most, and your blows land 1 harder.');
        expect(await say(h, 'score')).toMatch(/Hit points: 110\/110\n {2}Level: 2 \(120 experience; level 3 at 300\)/);
        expect(await say(h, 'consider boar')).toBe('A wild boar is dead.');
        await waitUntil(async () => !/dead/.test(await say(h, 'consider boar')), 10_000, () => 'the boar never came back');
        expect(await say(h, 'attack boar')).toContain('You hit a wild boar with a steel sword for 11. It collapses, dead.');
        expect(await say(h, 'score')).toContain('Level: 2 (240 experience; level 3 at 300)');

        // In a group the kill is shared: Bob follows Ann, Ann groups him, each gets half.
        await h.engine.connect(BOB);
        await say(h, 'north', BOB);
        await say(h, 'follow ann', BOB);
        await say(h, 'group bob');
        await waitUntil(async () => !/dead/.test(await say(h, 'consider boar')), 10_000, () => 'the boar never came back');
        expect(await say(h, 'attack boar')).toContain("You gain 60 experience for a wild boar, your share of the group's.");
        await waitUntil(() => heard(h, /You gain 60 experience for a wild boar, your share of the group's\./, BOB), 5_000, () => 'Bob got no share');
        expect(await say(h, 'score')).toContain('Level: 3 (300 experience');
        expect(await say(h, 'score', BOB)).toContain('Level: 1 (60 experience; level 2 at 100)');
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});
