// `wimpy`: a player who set it flees on their own once a blow leaves them at or
// below it, by the same random way out as `flee`, and the fight ends; it is kept
// in the player's record (so it runs for a player whose link dropped), bounded at
// half their hit points, shown by `score`, and turned off with `wimpy off`. In
// every dispatch mode.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say, heard } from './helpers/transcript.js';
import { waitUntil } from './helpers/nats-server.js';

const DEN = `
world: { name: Den, start: glade }
rooms:
  glade: { name: The Glade, description: Grass., exits: { in: cave } }
  cave: { name: The Cave, description: Dark., exits: { out: glade }, items: [bear] }
items:
  bear: { kind: npc, name: a cave bear, keywords: [bear], description: Huge., hp: 100000, damage: 20 }
`;

describe('wimpy', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-den-'));
    await writeFile(join(dir, 'world.yaml'), DEN);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [mode, nodes] of MODES) {
    it(`wimpy - ${mode}: set, bounded and shown; a blow that leaves the player at or below it makes them flee, and the fight ends`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: dir });
      try {
        await h.engine.connect('player/ann');
        expect(await say(h, 'wimpy')).toMatch(/^Wimpy is off: you fight on until you flee or fall\. "wimpy <hit points>" runs for you below them \(at most 50\)\.$/);
        expect(await say(h, 'wimpy 60')).toBe('At most half your hit points: "wimpy 50".');
        await expect(say(h, 'wimpy soon')).rejects.toThrow('Wimpy at how many hit points? A number, or "off". (usage: wimpy [<hit points> | off])');
        expect(await say(h, 'wimpy 50')).toBe('You will flee on your own when a blow leaves you with 50 hit points or fewer.');
        expect(await say(h, 'score')).toContain('Hit points: 100/100 (you flee at 50)');
        await say(h, 'in');
        expect(await say(h, 'attack bear')).toMatch(/^You attack a cave bear!/);
        // The bear's blows are 10-30: the player crosses 50 alive, and runs.
        await waitUntil(() => heard(h, /^Wounded, you panic and run!$/), 20_000, () => 'Ann did not panic');
        await waitUntil(() => heard(h, /^You flee out!$/), 5_000, () => 'Ann did not flee');
        await waitUntil(async () => (await say(h, 'score')).includes('You are not fighting.'), 5_000, () => 'the fight did not end');
        const score = await say(h, 'score');
        const hp = Number(/Hit points: (\d+)\/100/.exec(score)?.[1]);
        expect(hp).toBeGreaterThan(0);
        expect(hp).toBeLessThanOrEqual(50);
        expect(await say(h, 'look')).toMatch(/^The Glade/);
        expect(await say(h, 'wimpy off')).toBe('Wimpy is off: you fight on until you flee or fall.');
        expect(await say(h, 'score')).not.toContain('you flee at');
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});
