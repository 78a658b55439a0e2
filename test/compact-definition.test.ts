// The loaded world's compact form (world/compact-definition.ts): values alike
// are one value, shared values are frozen, and nothing a handler reads changes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../world/world-loader.js';
import type { WorldDefinition } from '../world/world-def.js';
import { writeGridWorld } from '../bench/world-gen.js';

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
});
