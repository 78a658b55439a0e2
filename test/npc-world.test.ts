// World files for creatures: `mud world check` refuses a creature without hit
// points, with bad numbers, or wandering to a room that does not exist, each
// with its file, line and column; a good one loads with its defaults.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorld } from '../world/files/world-loader.js';
import { formatWorldError } from '../world/files/world-def.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const ROOMS = 'world: { name: Den, start: cave }\nrooms:\n  cave:\n    name: Cave\n    description: Dark.\n    items: [bat]\n';

async function check(bat: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mud-npc-world-'));
  dirs.push(dir);
  await mkdir(path.join(dir, 'items'));
  await writeFile(path.join(dir, 'world.yaml'), ROOMS);
  await writeFile(path.join(dir, 'items', 'bat.yaml'), `items:\n  bat:\n${bat}`);
  const result = await loadWorld(dir);
  return result.ok ? result.world : result.errors.map((e) => formatWorldError({ ...e, file: path.relative(dir, e.file) }));
}

describe('creatures in world files', () => {
  it('world check - a creature loads with its defaults and is not takeable', async () => {
    const world = await check('    kind: npc\n    name: a bat\n    description: Leathery.\n    hp: 4\n');
    expect(Array.isArray(world)).toBe(false);
    const bat = (world as Exclude<typeof world, string[]>).items['item/bat'];
    expect(bat).toMatchObject({ kind: 'npc', takeable: false, props: { hp: 4, damage: 2, respawn: 60, wander_every: 30 }, contents: [] });
  });

  it('world check - a creature without hit points, with a negative respawn, or wandering nowhere is refused with file:line:column', async () => {
    expect(await check('    kind: npc\n    name: a bat\n    description: Leathery.\n')).toEqual([
      expect.stringMatching(/^items\/bat\.yaml:\d+:\d+: .*hp/),
    ]);
    expect(await check('    kind: npc\n    name: a bat\n    description: Leathery.\n    hp: 4\n    respawn: -5\n')).toEqual([
      'items/bat.yaml:7:14: items.bat.respawn must be between 100ms and 7d, got -5s',
    ]);
    expect(await check('    kind: npc\n    name: a bat\n    description: Leathery.\n    hp: 4\n    wander: [cave, belfry]\n')).toEqual([
      "items/bat.yaml:2:3: creature 'bat' may wander to unknown room 'belfry'",
    ]);
  });
});
