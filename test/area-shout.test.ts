// Shouts carry across an area, not the world: in the default world the
// Lantern Quarter and the Bramble Hollow are two areas, so a shout in the
// plaza reaches the market and not the hollow, and the other way round; in a
// world without areas everyone hears. One transcript, in-process and as actors;
// client mappers get each room's area name.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { charStatus, roomInfo } from '../world/core/client-data.js';

const SCRIPT: Array<[string, string]> = [
  ['alice', 'west'], ['dan', 'south'], ['dan', 'east'], ['erin', 'south'], ['erin', 'east'], ['erin', 'down'],
  ['carol', 'shout the fountain runs backwards'], ['alice', 'shout apples for sale'],
  ['dan', 'shout mind the wyrm'], ['erin', 'shout too late'],
];

async function play(dispatch: string): Promise<EngineHarness> {
  const h = await engineHarness({ dispatch, nodes: dispatch === 'in-process' ? 0 : 2 });
  for (const p of ['alice', 'carol', 'dan', 'erin']) await h.engine.connect(`player/${p}`);
  for (const [who, line] of SCRIPT) await h.type(`player/${who}`, line);
  return h;
}

const heard = (h: EngineHarness, who: string) => (h.lines.get(`player/${who}`) ?? []).filter((l) => l.includes('shout'));

describe('area shout', () => {
  for (const dispatch of ['in-process', 'actor']) {
    it(`area shout - a shout reaches the players in rooms of the shouter's area only (${dispatch})`, async () => {
      const h = await play(dispatch);
      try {
        expect(heard(h, 'alice')).toEqual(['Carol shouts, "the fountain runs backwards"', 'You shout, "apples for sale"']);
        expect(heard(h, 'carol')).toEqual(['You shout, "the fountain runs backwards"', 'Alice shouts, "apples for sale"']);
        expect(heard(h, 'dan')).toEqual(['You shout, "mind the wyrm"', 'Erin shouts, "too late"']);
        expect(heard(h, 'erin')).toEqual(['Dan shouts, "mind the wyrm"', 'You shout, "too late"']);
        // Client mappers file each room under its area's name (GMCP Room.Info, Char.Status).
        expect(roomInfo('room/wyrm_den', h.world)).toMatchObject({ area: 'The Bramble Hollow' });
        expect(roomInfo('room/lantern_market', h.world)).toMatchObject({ area: 'The Lantern Quarter' });
        expect(charStatus('player/erin', 'room/wyrm_den', h.world, 0, null)).toMatchObject({ area: 'The Bramble Hollow' });
      } finally {
        await h.close();
      }
    }, 60_000);
  }

  it('area shout - in a world without areas, every room is one area: everyone hears', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-one-area-'));
    await writeFile(join(dir, 'world.yaml'), `
world: { name: Two Rooms, start: hall }
rooms:
  hall: { name: The Hall, description: A hall., exits: { east: cellar } }
  cellar: { name: The Cellar, description: Damp., exits: { west: hall } }
`);
    const h = await engineHarness({ dispatch: 'in-process', nodes: 0, worldDir: dir });
    try {
      for (const p of ['alice', 'bob']) await h.engine.connect(`player/${p}`);
      await h.type('player/bob', 'east');
      await h.type('player/alice', 'shout hello down there');
      expect(heard(h, 'bob')).toEqual(['Alice shouts, "hello down there"']);
      expect(roomInfo('room/cellar', h.world)).toMatchObject({ area: 'Two Rooms' });
    } finally {
      await h.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
