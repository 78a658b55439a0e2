// The loaded world's compact form (world/files/compact-definition.ts): values alike
// are one value, shared values are frozen, and nothing a handler reads changes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../world/files/world-loader.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import { writeGridWorld } from '../bench/world-gen.js';
import { ItemInstance } from '../world/core/item-instance.js';
import { World } from '../world/core/world.js';
import { worldFrom } from '../world/files/packed-world-view.js';
import { packedWorld } from '../world/files/packed-world.js';
import type { ItemDef } from '../world/core/types.js';

let dir: string;
let grid: WorldDefinition;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mud-compact-'));
  await writeGridWorld(dir, { width: 6, height: 5, itemsPerRoom: 4 });
  const loaded = await loadWorld(dir);
  if (!loaded.ok) throw new Error('generated grid has errors');
  grid = loaded.world;
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('compact definition', () => {
  it('compact definition - instances of an item share its name, description, keywords and props', () => {
    const pebbles = Object.values(grid.items).filter((i) => i.id.startsWith('pebble_0.'));
    expect(pebbles.length).toBeGreaterThan(2);
    for (const p of pebbles.slice(1)) {
      expect(p.keywords).toBe(pebbles[0].keywords);
      expect(p.props).toBe(pebbles[0].props);
      expect(p.contents).toBe(pebbles[0].contents);
      expect(p.name).toBe('a small pebble');
    }
    expect(new Set(Object.values(grid.rooms).map((r) => r.description)).size).toBe(1);
  });

  it('compact definition - shared values are frozen: a handler cannot change every instance at once', () => {
    const pebble = Object.values(grid.items).find((i) => i.id.startsWith('pebble_0.'))!;
    expect(() => pebble.keywords.push('rock')).toThrow(TypeError);
    expect(() => pebble.contents.push('item/x')).toThrow(TypeError);
    expect(() => { pebble.props.damage = 3; }).toThrow(TypeError);
  });

  it('compact definition - every def keeps its ref and id, and every exit and placement names a defined object', () => {
    for (const [ref, room] of Object.entries(grid.rooms)) {
      expect(room.ref).toBe(ref);
      expect(`room/${room.id}`).toBe(ref);
      for (const to of Object.values(room.exits)) expect(grid.rooms[to]).toBeDefined();
      for (const item of room.items) expect(grid.items[item]?.ref).toBe(item);
    }
    for (const [ref, item] of Object.entries(grid.items)) expect(`item/${item.id}`).toBe(ref);
    expect(Object.values(grid.rooms).reduce((n, r) => n + r.items.length, 0)).toBe(Object.keys(grid.items).length);
  });

  it('compact definition - instances alike but for their ref keep no def of their own, and read as one', () => {
    const pebbles = Object.entries(grid.items).filter(([ref]) => ref.startsWith('item/pebble_0.')).map(([, def]) => def);
    expect(pebbles[0]).not.toBeInstanceOf(ItemInstance);
    for (const p of pebbles.slice(1)) {
      expect(p).toBeInstanceOf(ItemInstance);
      expect((p as ItemInstance).shared).toBe(pebbles[0]);
    }
    const second = pebbles[1];
    expect(second).toMatchObject({ kind: 'item', name: 'a small pebble', keywords: ['pebble'], takeable: true, props: {}, contents: [] });
    expect(second.description).toBe(pebbles[0].description);
    expect(second.script).toBeUndefined();
    expect(() => { (second as { name: string }).name = 'a rock'; }).toThrow(TypeError);
  });

  it('compact definition - an instance as data is the plain def, key for key, for NATS nodes and the packed copy', () => {
    const refs = Object.keys(grid.items);
    const instance = refs.find((ref) => grid.items[ref] instanceof ItemInstance)!;
    const data = JSON.parse(JSON.stringify(grid.items[instance])) as ItemDef;
    expect(Object.keys(data)).toEqual(Object.keys(grid.items[refs[0]]));
    expect(data).toEqual({ ...(grid.items[instance] as ItemInstance).shared, ref: instance, id: instance.slice('item/'.length) });
    // What a node in another process builds from the JSON, and what this process's nodes decode, read the same.
    const remote = World.create(JSON.parse(JSON.stringify(grid)) as WorldDefinition);
    const local = worldFrom(packedWorld(grid));
    const here = World.create(grid);
    for (const ref of [...here.refs()]) {
      const mine = JSON.parse(JSON.stringify(here.def(ref)));
      expect(remote.def(ref), ref).toEqual(mine);
      expect(local.def(ref), ref).toEqual(mine);
    }
  });

  it('compact definition - a container with contents and an item with props of its own stay defs of their own', async () => {
    const own = await mkdtemp(path.join(tmpdir(), 'mud-compact-own-'));
    try {
      await writeFile(path.join(own, 'world.yaml'), [
        'world: { name: Own, start: hall }',
        'rooms:',
        '  hall: { name: Hall, description: A hall., items: [box.1, box.2, sword.1, sword.2, sword.3] }',
        'items:',
        '  box: { kind: container, name: a box, description: A box., instances: [{ contents: [gem] }, {}] }',
        '  sword: { kind: weapon, name: a sword, description: A sword., damage: 4, instances: [{}, { condition: 50 }, {}] }',
        '  gem: { kind: item, name: a gem, description: A gem. }',
        '',
      ].join('\n'));
      const loaded = await loadWorld(own);
      if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
      const items = loaded.world.items;
      expect(items['item/box.1'].contents).toEqual(['item/gem']);
      expect(items['item/box.2'].contents).toEqual([]);
      expect(items['item/box.2']).not.toBeInstanceOf(ItemInstance);
      expect(items['item/sword.2']).not.toBeInstanceOf(ItemInstance);
      expect(items['item/sword.2'].props.condition).toBe(50);
      expect(items['item/sword.3']).toBeInstanceOf(ItemInstance);
      expect((items['item/sword.3'] as ItemInstance).shared).toBe(items['item/sword.1']);
      expect(items['item/sword.3']).toMatchObject({ ref: 'item/sword.3', id: 'sword.3', kind: 'weapon', props: items['item/sword.1'].props });
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });
});
