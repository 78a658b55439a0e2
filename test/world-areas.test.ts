// Areas in world files: declared with a name, rooms and respawn settings;
// rooms outside every area form the default one; each creature's and item's
// respawn delay settles from its own key or its home area's; bad definitions
// are reported at file:line:column.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorld } from '../world/files/world-loader.js';
import { formatWorldError, type WorldDefinition } from '../world/files/world-def.js';
import { formatDuration, parseDuration } from '../world/files/durations.js';
import { DEFAULT_WORLD } from '../support/paths.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const WORLD = 'world:\n  name: Vale\n  start: gate\n';
const ROOMS = `rooms:
  gate: { name: The Gate, description: A gate., exits: { north: orchard }, items: [apple] }
  orchard: { name: The Orchard, description: Trees., exits: { south: gate, down: cave }, items: [chest] }
  cave: { name: The Cave, description: Dark., exits: { up: orchard }, items: [bat, fountain] }
`;
const ITEMS = `items:
  apple: { kind: item, name: a red apple, description: Shiny. }
  chest: { kind: container, name: a chest, description: Oak., open: true, contents: [sword, pear] }
  sword: { kind: weapon, name: a sword, description: Sharp., damage: 3, respawn: 90 }
  pear: { kind: item, name: a pear, description: Ripe., respawn: never }
  bat: { kind: npc, name: a bat, description: Leathery., hp: 3, contents: [wing] }
  wing: { kind: item, name: a bat wing, description: Thin. }
  fountain: { kind: item, name: a fountain, description: Wet., takeable: false }
`;
const AREAS = `areas:
  fields:
    name: The Fields
    rooms: [gate, orchard]
    respawn: { items: 5m, npcs: 20s }
  deep:
    name: The Deep
    rooms: [cave]
    respawn:
      npcs: 1h30m
`;

async function loadFiles(files: Record<string, string>): Promise<WorldDefinition | string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mud-areas-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  const result = await loadWorld(dir);
  return result.ok ? result.world : result.errors.map((e) => formatWorldError({ ...e, file: path.relative(dir, e.file) }));
}

async function world(files: Record<string, string>): Promise<WorldDefinition> {
  const loaded = await loadFiles(files);
  if (Array.isArray(loaded)) throw new Error(loaded.join('\n'));
  return loaded;
}

describe('areas', () => {
  it('areas - durations read as builders write them', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('250ms')).toBe(0.25);
    expect(parseDuration('2d')).toBe(172_800);
    for (const bad of ['5', 'm', '5 m', '5x', '-5s', '']) expect(parseDuration(bad), bad).toBeUndefined();
    expect(formatDuration(600)).toBe('10m');
    expect(formatDuration(0.1)).toBe('100ms');
  });

  it('areas - a world without areas is one default area named after the world, items not respawning', async () => {
    const w = await world({ 'world.yaml': WORLD, 'rooms.yaml': ROOMS, 'items.yaml': ITEMS });
    expect(w.areas).toEqual({ world: { id: 'world', name: 'Vale', respawn: { npcs: 60, items: null } } });
    expect(Object.values(w.rooms).map((r) => r.area)).toEqual(['world', 'world', 'world']);
    expect(w.items['item/bat'].props.respawn).toBe(60);
    expect(w.items['item/apple'].props.respawn).toBeUndefined();
    expect(w.items['item/sword'].props.respawn).toBe(90);
  });

  it('areas - rooms get their area; delays settle from the item, else its home area; never means never', async () => {
    const w = await world({ 'world.yaml': WORLD, 'rooms.yaml': ROOMS, 'items.yaml': ITEMS, 'areas.yaml': AREAS });
    expect(w.areas).toEqual({
      fields: { id: 'fields', name: 'The Fields', respawn: { npcs: 20, items: 300 } },
      deep: { id: 'deep', name: 'The Deep', respawn: { npcs: 5400, items: null } },
    });
    expect(w.rooms['room/orchard'].area).toBe('fields');
    expect(w.rooms['room/cave'].area).toBe('deep');
    expect(w.items['item/apple'].props.respawn).toBe(300); // the area's
    expect(w.items['item/sword'].props.respawn).toBe(90); // its own, inside a container in the fields
    expect(w.items['item/pear'].props.respawn).toBeUndefined(); // never
    expect(w.items['item/bat'].props.respawn).toBe(5400); // the deep's creatures
    expect(w.items['item/chest'].props.respawn).toBeUndefined(); // containers do not respawn
    expect(w.items['item/wing'].props.respawn).toBeUndefined(); // loot comes back with its creature
  });

  it('areas - rooms no area lists form the default area, with the world section’s respawn settings', async () => {
    const w = await world({
      'world.yaml': `${WORLD}  respawn: { items: 45s }\n`, 'rooms.yaml': ROOMS, 'items.yaml': ITEMS,
      'areas.yaml': 'areas:\n  deep: { name: The Deep, rooms: [cave] }\n',
    });
    expect(w.areas.world).toEqual({ id: 'world', name: 'Vale', respawn: { npcs: 60, items: 45 } });
    expect(w.rooms['room/gate'].area).toBe('world');
    expect(w.items['item/apple'].props.respawn).toBe(45);
  });

  it('areas - the default world has the Lantern Quarter (items back after 10m) and the Bramble Hollow (creatures after 30s)', async () => {
    const loaded = await loadWorld(DEFAULT_WORLD);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatWorldError).join('\n'));
    const w = loaded.world;
    expect(Object.values(w.areas).map((a) => [a.id, a.name, a.respawn])).toEqual([
      ['lantern_quarter', 'The Lantern Quarter', { npcs: 60, items: 600 }],
      ['bramble_hollow', 'The Bramble Hollow', { npcs: 30, items: null }],
    ]);
    expect(Object.values(w.rooms).every((r) => r.area in w.areas)).toBe(true);
    expect(w.rooms['room/wyrm_den'].area).toBe('bramble_hollow');
    expect(w.items['item/apple.1'].props.respawn).toBe(600);
    expect(w.items['item/sword.2'].props.respawn).toBe(600);
    expect(w.items['item/hedge_rat'].props.respawn).toBe(30);
    expect(w.items['item/lantern_wyrm'].props.respawn).toBe(300);
    expect(w.items['item/rat_tail'].props.respawn).toBeUndefined();
  });

  it('world check - unknown rooms, a room in two areas, bad settings and reserved ids are reported at file:line:column', async () => {
    const errors = await loadFiles({
      'world.yaml': WORLD, 'rooms.yaml': ROOMS.replace('items: [apple]', 'items: [apple, leaf]'),
      'items.yaml': `${ITEMS}  leaf: { kind: item, name: a leaf, description: Dry., respawn: soon }\n`.replace('name: a bat wing,', 'name: a bat wing, respawn: 1m,'),
      'areas.yaml': `areas:
  fields:
    name: The Fields
    rooms: [gate, orchard, barn, gate]
    respawn: { items: 5 minutes, npcs: 0s, trees: 1m }
  deep:
    name: The Deep
    rooms: [cave, orchard]
  world:
    name: Everything
    rooms: [cave]
  Bad-Id: { name: Bad, rooms: [cave] }
  empty: { name: Empty, rooms: [] }
  nameless: { rooms: [cave] }
`,
      'more/areas.yaml': 'areas:\n  deep: { name: Deeper, rooms: [cave] }\n',
    });
    expect(errors).toEqual([
      "areas.yaml:4:28: area 'fields' lists unknown room 'barn'",
      "areas.yaml:4:34: room 'gate' is listed twice in area 'fields' (also at ",
      "areas.yaml:5:23: areas.fields.respawn.items must be a number of seconds or a duration such as 90s, 5m, 1h, or 'never', got '5 minutes'",
      'areas.yaml:5:40: areas.fields.respawn.npcs must be between 100ms and 7d, got 0s',
      "areas.yaml:5:44: unknown key 'trees' in areas.fields.respawn (expected one of: npcs, items)",
      "areas.yaml:8:19: room 'orchard' is in two areas: 'fields' (",
      "areas.yaml:9:3: area id 'world' is reserved for the rooms outside every area",
      "areas.yaml:12:3: invalid area id 'Bad-Id' (use lowercase letters, digits and _)",
      'areas.yaml:13:32: areas.empty.rooms must list at least one room',
      "areas.yaml:14:3: areas.nameless is missing required key 'name'",
      "areas.yaml:14:23: room 'cave' is in two areas: 'deep' (",
      "items.yaml:7:3: item 'wing' is the loot of creature 'bat': it comes back with the creature, so it takes no respawn of its own",
      "items.yaml:9:65: items.leaf.respawn must be a number of seconds or a duration such as 90s, 5m, 1h, or 'never', got 'soon'",
      "more/areas.yaml:2:3: duplicate area id 'deep' (first defined at ",
    ].map((e) => expect.stringContaining(e)));
  });
});
