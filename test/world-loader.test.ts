import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorld } from '../world/files/world-loader.js';
import { roomNumber } from '../world/core/room-number.js';
import { formatWorldError, type WorldDefinition } from '../world/files/world-def.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Writes the files into a fresh directory. */
async function worldDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mud-world-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

/** The errors as `mud world check` prints them, with paths relative to the world. */
async function errorsOf(files: Record<string, string>): Promise<string[]> {
  const dir = await worldDir(files);
  const result = await loadWorld(dir);
  if (result.ok) return [];
  return result.errors.map((e) => formatWorldError({ ...e, file: path.relative(dir, e.file) }));
}

async function load(files: Record<string, string>): Promise<WorldDefinition> {
  const dir = await worldDir(files);
  const result = await loadWorld(dir);
  if (!result.ok) throw new Error(result.errors.map(formatWorldError).join('\n'));
  return result.world;
}

const WORLD = 'world:\n  name: Test\n  start: hall\n';
const HALL = `rooms:
  hall:
    name: The Hall
    description: A hall.
    exits:
      north: yard
    items: [chest]
  yard:
    name: The Yard
    description: A yard.
    exits:
      south: hall
    items: [key, sword.2]
`;
const ITEMS = `items:
  chest:
    kind: container
    name: a chest
    description: A chest.
    locked: true
    key: key
    contents: [sword.1]
  key:
    kind: key
    name: a small brass key
    description: A key.
  sword:
    kind: weapon
    name: a steel sword
    description: A sword.
    damage: 7
    instances:
      - {}
      - name: a slightly damaged sword
        condition: 60
`;
const VALID = { 'world.yaml': WORLD, 'rooms/hall.yaml': HALL, 'items/things.yaml': ITEMS };

describe('loadWorld: a valid world', () => {
  it('builds definitions with refs, defaults and instances', async () => {
    const world = await load(VALID);
    expect(world.name).toBe('Test');
    expect(world.startRoom).toBe('room/hall');
    expect(Object.keys(world.rooms).sort()).toEqual(['room/hall', 'room/yard']);
    expect(world.rooms['room/hall']).toMatchObject({ exits: { north: 'room/yard' }, items: ['item/chest'] });
    expect(Object.keys(world.items).sort()).toEqual(['item/chest', 'item/key', 'item/sword.1', 'item/sword.2']);
    expect(world.items['item/chest']).toMatchObject({
      kind: 'container', takeable: false, contents: ['item/sword.1'],
      props: { open: false, locked: true, key: 'item/key', capacity: 20 },
    });
    expect(world.items['item/key']).toMatchObject({ takeable: true, keywords: ['small', 'brass', 'key'], props: {} });
    expect(world.items['item/sword.1']).toMatchObject({ id: 'sword.1', name: 'a steel sword', props: { damage: 7, condition: 100 } });
    expect(world.items['item/sword.2']).toMatchObject({
      name: 'a slightly damaged sword', keywords: ['slightly', 'damaged', 'sword'], props: { damage: 7, condition: 60 },
    });
    expect(path.isAbsolute(world.source)).toBe(true);
  });

  it('attaches script files and inline scripts', async () => {
    const world = await load({
      ...VALID,
      'rooms/hall.yaml': HALL.replace('    items: [chest]\n', '    items: [chest]\n    script: ../scripts/hall.js\n')
        .replace('    items: [key, sword.2]\n', '    items: [key, sword.2]\n    script: |\n      function look(state) {}\n'),
      'scripts/hall.js': 'function enter(state) { return state; }\n',
    });
    expect(world.rooms['room/hall'].script).toMatchObject({ line: 1, code: expect.stringContaining('function enter') });
    expect(world.rooms['room/hall'].script!.file.endsWith(path.join('scripts', 'hall.js'))).toBe(true);
    expect(world.rooms['room/yard'].script).toMatchObject({ line: 16, code: 'function look(state) {}\n' });
  });

  it('loads the complete example in docs/WORLD-FILES.md', async () => {
    const docs = await readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'WORLD-FILES.md'), 'utf8');
    const files = Object.fromEntries([...docs.matchAll(/<!-- file: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(files).sort()).toEqual(['items.yaml', 'rooms.yaml', 'scripts/common_room.js', 'world.yaml']);
    const world = await load(files);
    expect(world.items['item/dagger']).toMatchObject({ kind: 'weapon', props: { damage: 4, condition: 80 } });
    expect(world.rooms['room/common_room'].script?.code).toContain('function enter');
  });

  it('accepts empty and comment-only files', async () => {
    await expect(load({ ...VALID, 'notes.yaml': '# nothing yet\n', 'empty.yaml': '' })).resolves.toBeDefined();
  });
});

describe('loadWorld: errors point at file:line:column', () => {
  it('reports YAML syntax errors', async () => {
    expect(await errorsOf({ ...VALID, 'broken.yaml': 'rooms:\n  cave: [unclosed\n' })).toEqual([
      expect.stringMatching(/^broken\.yaml:3:1: YAML syntax: /),
    ]);
  });

  it('reports the first YAML syntax error of a damaged entry, not the cascade after it', async () => {
    const rooms = ['  cave:', '    name: [The Cave', '    description: Dark.', ...Array.from({ length: 8 }, (_, i) => `  den${i}:\n    name: Den ${i}\n    description: A den.`)];
    const errors = await errorsOf({ ...VALID, 'broken.yaml': `rooms:\n${rooms.join('\n')}\n` });
    const syntax = errors.filter((e) => e.includes('YAML syntax'));
    expect(syntax).toHaveLength(1);
    expect(syntax[0]).toMatch(/^broken\.yaml:\d+:\d+: YAML syntax: .* \(and \d+ more syntax errors after it in this entry, most likely from this one\)$/);
  });

  it('leaves out what the checks across files find of a damaged entry, and says how much', async () => {
    // The hall's unclosed exits swallow the lines after them, its items with them: its chest is then placed
    // nowhere, which is the damage, not a second mistake. The orb, placed nowhere whatever the hall says, is reported.
    const damaged = HALL.replace('    exits:\n      north: yard\n', '    exits: {north: yard\n      west: yard\n    environment: indoors\n');
    const orb = 'items:\n  orb:\n    kind: item\n    name: an orb\n    description: An orb.\n';
    const errors = await errorsOf({ ...VALID, 'rooms/hall.yaml': damaged, 'items/orb.yaml': orb });
    expect(errors).toEqual([
      "items/orb.yaml:2:3: item 'orb' is placed nowhere (list it in a room's items or a container's contents)",
      expect.stringMatching(/^rooms\/hall\.yaml:\d+:\d+: YAML syntax: .*\[1 finding of the checks across files left out: it names what the damage holds\]$/),
    ]);
  });

  it('reports unknown keys at the key', async () => {
    expect(await errorsOf({ ...VALID, 'world.yaml': `${WORLD}monsters: {}\n` })).toEqual([
      "world.yaml:4:1: unknown key 'monsters' in the file (expected one of: world, areas, rooms, items, socials)",
    ]);
    expect(await errorsOf({ ...VALID, 'rooms/hall.yaml': HALL.replace('    name: The Yard', '    colour: red\n    name: The Yard') })).toEqual([
      "rooms/hall.yaml:9:5: unknown key 'colour' in rooms.yard (expected one of: name, description, exits, items, extras, environment, script)",
    ]);
  });

  it('reports wrong types and missing fields', async () => {
    const hall = HALL.replace('    name: The Hall\n', '    name: 42\n').replace('    description: A yard.\n', '');
    expect(await errorsOf({ ...VALID, 'rooms/hall.yaml': hall })).toEqual([
      'rooms/hall.yaml:3:11: rooms.hall.name must be a non-empty string, got a number (42)',
      "rooms/hall.yaml:8:3: rooms.yard is missing required key 'description'",
    ]);
    const items = ITEMS.replace('    damage: 7\n', '    damage: sharp\n').replace('    locked: true\n', '    locked: yes please\n');
    expect(await errorsOf({ ...VALID, 'items/things.yaml': items })).toEqual([
      'items/things.yaml:6:13: items.chest.locked must be true or false, got a string',
      'items/things.yaml:17:13: items.sword.damage must be a number, got a string',
    ]);
    expect(await errorsOf({ ...VALID, 'items/things.yaml': ITEMS.replace('    damage: 7\n', '') })).toEqual([
      "items/things.yaml:18:9: items.sword.instances[0] is missing required key 'damage'",
      "items/things.yaml:19:9: items.sword.instances[1] is missing required key 'damage'",
    ]);
  });

  it('reports bad keywords, aliases and unknown directions', async () => {
    const items = 'items:\n  orb:\n    kind: item\n    name: &n an orb\n    description: *n\n    keywords: [Glowing Orb]\n';
    expect(await errorsOf({ ...VALID, 'items/orb.yaml': items })).toEqual([
      "items/orb.yaml:2:3: item 'orb' is placed nowhere (list it in a room's items or a container's contents)",
      'items/orb.yaml:5:18: items.orb.description: YAML aliases (*name) are not supported in world files',
      "items/orb.yaml:6:16: keyword 'Glowing Orb' must be a single lowercase word",
    ]);
    expect(await errorsOf({ ...VALID, 'rooms/hall.yaml': HALL.replace('north: yard', 'sideways: yard') })).toEqual([
      expect.stringMatching(/^rooms\/hall\.yaml:6:7: unknown direction 'sideways' in rooms\.hall\.exits \(expected one of: north, /),
    ]);
  });

  it('reports an unknown item kind', async () => {
    expect(await errorsOf({ ...VALID, 'items/more.yaml': 'items:\n  orb:\n    kind: gizmo\n    name: an orb\n' })).toEqual([
      "items/more.yaml:3:11: unknown item kind 'gizmo' (expected one of: item, container, weapon, magic_weapon, key, npc, corpse, door, armor)",
    ]);
  });

  it('reports invalid ids', async () => {
    const errors = await errorsOf({ ...VALID, 'rooms/more.yaml': 'rooms:\n  Big-Hall:\n    name: X\n    description: Y\n' });
    expect(errors).toEqual(["rooms/more.yaml:2:3: invalid room id 'Big-Hall' (use lowercase letters, digits and _)"]);
  });

  it('reports duplicate ids across files and within one', async () => {
    const again = 'rooms:\n  yard:\n    name: Another Yard\n    description: Again.\n';
    expect(await errorsOf({ ...VALID, 'rooms/zz.yaml': again })).toEqual([
      expect.stringMatching(/^rooms\/zz\.yaml:2:3: duplicate room id 'yard' \(first defined at .*hall\.yaml:8:3\)$/),
    ]);
    const twice = `${ITEMS}  key:\n    kind: key\n    name: another key\n    description: K.\n`;
    expect(await errorsOf({ ...VALID, 'items/things.yaml': twice })).toEqual([
      "items/things.yaml:22:3: duplicate key 'key' in items (first at line 9)",
    ]);
    const item = 'items:\n  key:\n    kind: key\n    name: a key\n    description: K.\n';
    expect(await errorsOf({ ...VALID, 'items/zz.yaml': item })).toEqual([
      expect.stringMatching(/^items\/zz\.yaml:2:3: duplicate item id 'key' \(first defined at .*things\.yaml:9:3\)$/),
    ]);
  });

  it('reports an exit to a room that does not exist', async () => {
    expect(await errorsOf({ ...VALID, 'rooms/hall.yaml': HALL.replace('north: yard', 'north: tower') })).toEqual([
      "rooms/hall.yaml:6:14: exit north of room 'hall' leads to unknown room 'tower'",
    ]);
  });

  it('reports unknown, doubly placed and unplaced items', async () => {
    const hall = HALL.replace('items: [chest]', 'items: [chest, lamp, sword.1, sword]').replace('items: [key, sword.2]', 'items: [key]');
    expect(await errorsOf({ ...VALID, 'rooms/hall.yaml': hall })).toEqual([
      "items/things.yaml:20:9: item 'sword.2' is placed nowhere (list it in a room's items or a container's contents)",
      "rooms/hall.yaml:7:20: unknown item 'lamp'",
      expect.stringMatching(/^rooms\/hall\.yaml:7:26: item 'sword\.1' is placed twice \(also at .*things\.yaml:8:16\)$/),
      "rooms/hall.yaml:7:35: unknown item 'sword': it has 2 instances, place them as sword.1 ... sword.2",
    ]);
  });

  it('reports a locked container without a key, or with a key that is not a key', async () => {
    expect(await errorsOf({ ...VALID, 'items/things.yaml': ITEMS.replace('    key: key\n', '') })).toEqual([
      'items/things.yaml:2:3: items.chest is a locked container without a key',
    ]);
  });

  it('reports a key that is not a key item', async () => {
    expect(await errorsOf({ ...VALID, 'items/things.yaml': ITEMS.replace('    key: key\n', '    key: sword.2\n') })).toEqual([
      "items/things.yaml:7:10: key 'sword.2' of container 'chest' is a weapon, not a key item",
    ]);
    expect(await errorsOf({ ...VALID, 'items/things.yaml': ITEMS.replace('    key: key\n', '    key: skeleton_key\n') })).toEqual([
      "items/things.yaml:7:10: key 'skeleton_key' of container 'chest' is unknown item 'skeleton_key'",
    ]);
  });

  it('reports a container holding more than its capacity', async () => {
    const items = ITEMS.replace('    contents: [sword.1]\n', '    capacity: 1\n    contents: [sword.1, sword.2]\n');
    const hall = HALL.replace('items: [key, sword.2]', 'items: [key]');
    expect(await errorsOf({ ...VALID, 'items/things.yaml': items, 'rooms/hall.yaml': hall })).toEqual([
      "items/things.yaml:2:3: container 'chest' holds 2 items but its capacity is 1",
    ]);
  });

  it('reports containers nested in themselves', async () => {
    const boxes = `items:
  box:
    kind: container
    name: a box
    description: B.
    contents: [bag]
  bag:
    kind: container
    name: a bag
    description: B.
    contents: [box]
`;
    expect(await errorsOf({ ...VALID, 'items/boxes.yaml': boxes })).toEqual([
      "items/boxes.yaml:11:16: container 'box' is nested in itself (box in bag in box)",
    ]);
    const self = 'items:\n  pouch:\n    kind: container\n    name: a pouch\n    description: P.\n    contents: [pouch]\n';
    expect(await errorsOf({ ...VALID, 'items/pouch.yaml': self })).toEqual([
      "items/pouch.yaml:6:16: container 'pouch' is nested in itself (pouch in pouch)",
    ]);
  });

  it('reports a missing or duplicate world section, and an unknown start room', async () => {
    expect(await errorsOf({ 'rooms/hall.yaml': HALL, 'items/things.yaml': ITEMS })).toEqual([
      "items/things.yaml:1:1: no 'world' section found (add `world: { name: ..., start: <room id> }` to one file)",
    ]);
    expect(await errorsOf({ ...VALID, 'zz.yaml': 'world:\n  name: Other\n  start: yard\n' })).toEqual([
      expect.stringMatching(/^zz\.yaml:2:3: duplicate 'world' section \(first at .*world\.yaml:2:3\)$/),
    ]);
    expect(await errorsOf({ ...VALID, 'world.yaml': WORLD.replace('start: hall', 'start: attic') })).toEqual([
      "world.yaml:3:10: start room 'attic' does not exist",
    ]);
  });

  it('reports a script file that does not exist', async () => {
    const hall = HALL.replace('    items: [chest]\n', '    items: [chest]\n    script: ../scripts/nope.js\n');
    expect(await errorsOf({ ...VALID, 'rooms/hall.yaml': hall })).toEqual([
      expect.stringMatching(/^rooms\/hall\.yaml:8:13: script file '\.\.\/scripts\/nope\.js' does not exist/),
    ]);
  });

  it('refuses a script path outside the world directory', async () => {
    const hall = HALL.replace('    items: [chest]\n', '    items: [chest]\n    script: ../../elsewhere.js\n');
    expect(await errorsOf({ ...VALID, 'rooms/hall.yaml': hall })).toEqual([
      "rooms/hall.yaml:8:13: script '../../elsewhere.js' is outside the world directory",
    ]);
  });

  it('reports a script file that does not compile at its own line and column', async () => {
    const hall = HALL.replace('    items: [chest]\n', '    items: [chest]\n    script: ../scripts/hall.js\n');
    const errors = await errorsOf({ ...VALID, 'rooms/hall.yaml': hall, 'scripts/hall.js': 'function enter(state) {\n  return {;\n}\n' });
    expect(errors).toEqual([expect.stringMatching(/^scripts\/hall\.js:2:11: script does not compile: /)]);
  });

  it('reports an inline script that does not compile at its line in the YAML file', async () => {
    const hall = HALL.replace('    items: [chest]\n', '    items: [chest]\n    script: |\n      function enter(state) {\n        return {;\n      }\n');
    expect(await errorsOf({ ...VALID, 'rooms/hall.yaml': hall })).toEqual([
      expect.stringMatching(/^rooms\/hall\.yaml:10:17: script does not compile: /),
    ]);
  });

  it('collects every error across files, sorted by file and line', async () => {
    const errors = await errorsOf({
      'world.yaml': WORLD.replace('start: hall', 'start: attic'),
      'rooms/hall.yaml': HALL.replace('north: yard', 'north: tower'),
      'items/things.yaml': ITEMS.replace('kind: key', 'kind: skeleton'),
    });
    expect(errors).toEqual([
      "items/things.yaml:10:11: unknown item kind 'skeleton' (expected one of: item, container, weapon, magic_weapon, key, npc, corpse, door, armor)",
      "items/things.yaml:7:10: key 'key' of container 'chest' is unknown item 'key'",
      "rooms/hall.yaml:13:13: unknown item 'key'",
      "rooms/hall.yaml:6:14: exit north of room 'hall' leads to unknown room 'tower'",
      "world.yaml:3:10: start room 'attic' does not exist",
    ].sort(byFileLine));
  });

  it('reports a directory with no world in it', async () => {
    const dir = await worldDir({});
    expect(await loadWorld(dir)).toEqual({
      ok: false, errors: [{ file: dir, line: 1, column: 1, message: 'no .yaml files in the world directory' }],
    });
    expect(await loadWorld(path.join(dir, 'missing'))).toMatchObject({ ok: false, errors: [{ line: 1, column: 1 }] });
  });
});

function byFileLine(a: string, b: string): number {
  const [fa, la, ca] = a.split(':');
  const [fb, lb, cb] = b.split(':');
  return fa < fb ? -1 : fa > fb ? 1 : Number(la) - Number(lb) || Number(ca) - Number(cb);
}

describe('loadWorld: what client mappers and colour need', () => {
  it('reports description markup problems at the description', async () => {
    const errors = await errorsOf({ ...VALID, 'rooms/hall.yaml': HALL.replace('description: A hall.', 'description: A {purple}hall{/}.').replace('description: A yard.', 'description: A {red}yard.') });
    expect(errors).toEqual([
      expect.stringMatching(/^rooms\/hall\.yaml:4:18: description of room 'hall': unknown markup \{purple\}/),
      "rooms/hall.yaml:10:18: description of room 'yard': 1 markup span is not closed with {/}",
    ]);
    expect(await errorsOf({ ...VALID, 'items/things.yaml': ITEMS.replace('description: A key.', 'description: A {shiny}key{/}.') })).toEqual([
      expect.stringMatching(/^items\/things\.yaml:\d+:18: description in items\.key: unknown markup \{shiny\}/),
    ]);
  });

  it('refuses two rooms whose map numbers collide', async () => {
    // Search for two ids with the same number (a birthday search over 31 bits: tens of thousands of tries).
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const id = `r${i.toString(36)}`;
      const num = roomNumber(`room/${id}`);
      const other = seen.get(num);
      if (other) pair = [other, id];
      else seen.set(num, id);
    }
    const rooms = `rooms:\n${pair.map((id) => `  ${id}:\n    name: Room ${id}\n    description: A room.\n`).join('')}`;
    const errors = await errorsOf({ 'world.yaml': `world:\n  name: Test\n  start: ${pair[0]}\n`, 'rooms/clash.yaml': rooms });
    expect(errors).toEqual([expect.stringContaining(`room '${pair[1]}' has the same map number as '${pair[0]}'`)]);
  });
});
