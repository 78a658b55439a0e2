// `mud world check` on doors, extra descriptions and environments: each mistake
// a builder can make names its file, line and column; a good world loads with
// the door on both sides and the scenery on its room.
import { afterEach, describe, expect, it } from 'vitest';
import { worldFiles } from './helpers/world-files.js';

const files = worldFiles();
afterEach(() => files.cleanup());
const check = (f: Record<string, string>) => files.check(f);

const WORLD = 'world: { name: Doors, start: hall }\n';
const rooms = (hallExit: string, cellarExit: string, extra = '') => `rooms:
  hall:
    name: The Hall
    description: A hall with an old clock.
    exits:
      down: ${hallExit}
${extra}  cellar:
    name: The Cellar
    description: Damp.
    exits:
      up: ${cellarExit}
`;
const DOOR = `items:
  trapdoor:
    kind: door
    name: a trapdoor
    description: A square of planks.
    locked: true
    key: iron_key
  iron_key:
    kind: key
    name: an iron key
    description: Heavy.
`;
const KEY_IN_HALL = '    items: [iron_key]\n';

describe('world files - doors and scenery', () => {
  it('doors - a door on two facing exits loads, knows both rooms, and is in no room', async () => {
    const { world, errors } = await check({
      'world.yaml': WORLD + rooms('{ to: cellar, door: trapdoor }', '{ to: hall, door: trapdoor }', KEY_IN_HALL) + DOOR,
    });
    expect(errors).toEqual([]);
    expect(world!.rooms['room/hall'].doors).toEqual({ down: 'item/trapdoor' });
    expect(world!.rooms['room/cellar'].doors).toEqual({ up: 'item/trapdoor' });
    expect(world!.items['item/trapdoor'].props).toMatchObject({ locked: true, open: false, key: 'item/iron_key', rooms: ['room/hall', 'room/cellar'] });
  });

  it('doors - unknown door, a door that is not a door, a door on no exit, on exits that do not face each other, placed among things', async () => {
    expect((await check({ 'world.yaml': WORLD + rooms('{ to: cellar, door: hatch }', 'hall', KEY_IN_HALL) + DOOR })).errors).toEqual([
      "world.yaml:7:33: exit down of room 'hall' has unknown door 'hatch'",
      "world.yaml:15:3: door 'trapdoor' is on no exit (name it in an exit: north: { to: <room>, door: trapdoor })",
    ]);
    expect((await check({ 'world.yaml': WORLD + rooms('{ to: cellar, door: iron_key }', 'hall', '    items: [iron_key, trapdoor]\n') + DOOR })).errors).toEqual([
      "world.yaml:7:33: exit down of room 'hall' names 'iron_key' as its door, but it is a key, not a door",
      "world.yaml:8:23: door 'trapdoor' is placed in room 'hall': a door goes on exits, not among things",
      "world.yaml:15:3: door 'trapdoor' is on no exit (name it in an exit: north: { to: <room>, door: trapdoor })",
    ]);
    const third = `  attic:\n    name: Attic\n    description: Dusty.\n    exits:\n      down: { to: cellar, door: trapdoor }\n`;
    expect((await check({ 'world.yaml': WORLD + rooms('{ to: cellar, door: trapdoor }', '{ to: hall, door: trapdoor }', KEY_IN_HALL + third) + DOOR })).errors)
      .toEqual(["world.yaml:18:29: door 'trapdoor' is on 3 exits; a door joins two rooms (one exit each side)"]);
  });

  it('doors - a locked door needs a key that is a key, and cannot be taken', async () => {
    const door = DOOR.replace('    key: iron_key\n', '    takeable: true\n');
    expect((await check({ 'world.yaml': WORLD + rooms('{ to: cellar, door: trapdoor }', 'hall', KEY_IN_HALL) + door })).errors).toEqual([
      'world.yaml:15:3: items.trapdoor is a locked door without a key',
      'world.yaml:20:15: items.trapdoor is a door: it cannot be takeable',
    ]);
  });

  it('extras - scenery words must be words of the room description; each loads with its synonyms', async () => {
    const extras = '    extras:\n      clock, timepiece: It stopped at ten to three.\n      chandelier: Crystal.\n      Big Clock: Loud.\n';
    expect((await check({ 'world.yaml': WORLD + rooms('cellar', 'hall', extras) })).errors).toEqual([
      "world.yaml:10:7: extra 'chandelier' of room 'hall': none of its words appears in the room's description (use one there, or remove the extra)",
      "world.yaml:11:7: extra 'Big Clock' of room 'hall': 'big clock' is not a single lowercase word (separate synonyms with commas)",
    ]);
    const { world, errors } = await check({ 'world.yaml': WORLD + rooms('cellar', 'hall', `${extras.split('\n').slice(0, 2).join('\n')}\n    environment: indoors\n`) });
    expect(errors).toEqual([]);
    expect(world!.rooms['room/hall'].extras).toEqual([{ keywords: ['clock', 'timepiece'], text: 'It stopped at ten to three.' }]);
    expect(world!.rooms['room/hall'].environment).toBe('indoors');
  });
});
