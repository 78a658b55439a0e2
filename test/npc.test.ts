// Creatures with builder-scripted behaviour: old Tamsin in the default world
// greets a newcomer once, answers words and returns a wave; a wanderer moves
// between its allowed rooms on its timer, by the item protocol (exactly once).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';

async function type(h: EngineHarness, who: string, line: string): Promise<string> {
  const before = h.lines.get(who)?.length ?? 0;
  await h.type(who, line);
  return (h.lines.get(who) ?? []).slice(before).join('\n');
}

describe('npcs', () => {
  for (const [mode, nodes] of [['actor', 2], ['function', 2]] as const) {
    it(`npcs - ${mode}: old Tamsin greets a newcomer once, answers hello and the wyrm, and waves back`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes });
      try {
        await h.engine.connect('player/nia');
        await type(h, 'player/nia', 'south');
        const arrival = await type(h, 'player/nia', 'east');
        expect(arrival).toMatch(/^The Bramble Hollow\n/);
        expect(arrival).toContain('Old Tamsin lifts her lamp. "Welcome, Nia! Mind the rat, and never go down there alone."');
        expect(await type(h, 'player/nia', 'say hello there')).toContain('Old Tamsin says, "Hello yourself, Nia."');
        expect(await type(h, 'player/nia', 'say what about the wyrm?')).toContain('It takes a crowd to shift it.');
        expect(await type(h, 'player/nia', 'emote waves.')).toContain('Old Tamsin waves back with her lamp pole.');
        expect(await type(h, 'player/nia', 'say nice weather')).not.toContain('Old Tamsin says');
        await type(h, 'player/nia', 'west');
        expect(await type(h, 'player/nia', 'east')).not.toContain('Welcome, Nia');
      } finally {
        await h.close();
      }
    }, 30_000);
  }

  it('npcs - pet the dog and it follows you from room to room; tell it to stay and it stops', async () => {
    const h = await engineHarness({ dispatch: 'in-process', nodes: 0 });
    try {
      await h.engine.connect('player/pia');
      await type(h, 'player/pia', 'south');
      await type(h, 'player/pia', 'east');
      expect(await type(h, 'player/pia', 'emote pets the dog.')).toContain('The scruffy dog wags its whole back end and decides to go wherever Pia goes.');
      await type(h, 'player/pia', 'west');
      await waitUntil(async () => (await type(h, 'player/pia', 'look')).includes('a scruffy dog'), 5_000, () => 'the dog did not follow into the garden');
      await type(h, 'player/pia', 'north');
      await waitUntil(async () => (await type(h, 'player/pia', 'look')).includes('a scruffy dog'), 5_000, () => 'the dog did not follow into the plaza');
      expect(await type(h, 'player/pia', 'say stay!')).toContain('The scruffy dog sits down, looking betrayed.');
      await type(h, 'player/pia', 'east');
      await h.engine.quiesce();
      expect(await type(h, 'player/pia', 'look')).not.toContain('a scruffy dog');
      expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
    } finally {
      await h.close();
    }
  }, 30_000);

  it('npcs - a wanderer moves between its allowed rooms on its timer; it exists once throughout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-wander-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), `
world: { name: Burrows, start: a }
rooms:
  a: { name: Burrow A, description: Earthy., exits: { east: b, west: c }, items: [mole] }
  b: { name: Burrow B, description: Damp., exits: { west: a } }
  c: { name: Burrow C, description: Forbidden., exits: { east: a } }
items:
  mole: { kind: npc, name: a mole, keywords: [mole], description: Velvety., hp: 5, wander: [a, b], wander_every: 1 }
`);
    const h = await engineHarness({ dispatch: 'actor', nodes: 2, worldDir: join(dir, 'world') });
    try {
      await h.engine.connect('player/ola');
      await type(h, 'player/ola', 'look');
      await waitUntil(() => (h.lines.get('player/ola') ?? []).includes('A mole wanders off.'), 10_000, () => 'the mole never wandered');
      await type(h, 'player/ola', 'east');
      await waitUntil(async () => (await type(h, 'player/ola', 'look')).includes('a mole'), 10_000, () => 'the mole is not in burrow B');
      expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      const c = (await h.store.get('room/c'))?.value as { state?: { contents?: string[] } } | undefined;
      expect(c?.state?.contents ?? []).not.toContain('item/mole');
    } finally {
      await h.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
