// The packed world (world/files/packed-world.ts) that this process's worker-thread
// nodes share: every definition must read back exactly as the plain one, from
// any cache state. Seeded: PACKED_SEED=<n> replays a run.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../world/files/world-loader.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { ItemDef, ObjectDef, Ref, RoomDef } from '../world/core/types.js';
import { PackedDefinitions, packedWorld } from '../world/files/packed-world.js';
import { PackedWorldView, worldFrom } from '../world/files/packed-world-view.js';
import { World } from '../world/core/world.js';

const DEFAULT_WORLD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'worlds', 'default');
const SEED = process.env.PACKED_SEED ? Number(process.env.PACKED_SEED) : Date.now() % 1_000_000;

let def: WorldDefinition;

beforeAll(async () => {
  const loaded = await loadWorld(DEFAULT_WORLD);
  if (!loaded.ok) throw new Error('default world has errors');
  def = loaded.world;
});

const allRefs = (d: WorldDefinition): Ref[] => [...Object.keys(d.rooms), ...Object.keys(d.items)];
/** A def as data (an instance alike another reads through getters: world/core/item-instance.ts). */
const plain = (d: WorldDefinition, ref: Ref): ObjectDef => JSON.parse(JSON.stringify(d.rooms[ref] ?? d.items[ref])) as ObjectDef;

describe('packed world', () => {
  it('packed world - every definition of the default world reads back equal to the plain one', () => {
    const defs = new PackedDefinitions(packedWorld(def));
    for (const ref of allRefs(def)) expect(defs.get(ref), ref).toEqual(plain(def, ref));
  });

  it('packed world - is made once per definition, and instances alike share one body', () => {
    const packed = packedWorld(def);
    expect(packedWorld(def)).toBe(packed);
    expect(packed.count).toBe(allRefs(def).length);
    // The default world has two steel swords alike but for their ref.
    expect(packed.distinctBodies).toBeLessThan(packed.count);
    expect(structuredClone(packed).buffer.byteLength).toBe(packed.buffer.byteLength);
  });

  it('packed world - shards read as their base room; players, channels and unknown refs as nothing', () => {
    const view = new PackedWorldView(packedWorld(def));
    expect(view.def('room/mystical_plaza~3')).toEqual(def.rooms['room/mystical_plaza']);
    for (const ref of ['player/alice', 'channel/chat', 'room/nowhere', 'item/sword.99', 'item/', 'room/mystical_plaz']) {
      expect(view.def(ref), ref).toBeUndefined();
    }
    expect(view.startRoom).toBe(def.startRoom);
    expect(view.name).toBe(def.name);
  });

  it('packed world - has the same builder scripts as the plain world', () => {
    const plainWorld = World.create(def);
    const view = worldFrom(packedWorld(def));
    const scripted = allRefs(def).filter((ref) => plain(def, ref) && 'script' in plain(def, ref) && (plain(def, ref) as RoomDef).script);
    expect(scripted.length).toBeGreaterThan(0);
    for (const ref of scripted) {
      for (const type of ['enter', 'emote', 'look', 'say']) expect(!!view.hook(ref, type), `${ref} ${type}`).toBe(!!plainWorld.hook(ref, type));
    }
  });

  it('packed world - random worlds read back equal in any order, across cache generations', () => {
    console.log(`packed world seed: ${SEED} (replay with PACKED_SEED=${SEED})`);
    const word = fc.string({ unit: fc.constantFrom('a', 'z', '0', '_'), minLength: 1, maxLength: 12 });
    const text = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '✓', '\n', '"', '\\', '😀'), maxLength: 40 });
    const item = fc.record({ name: text, description: text, keywords: fc.array(word, { minLength: 1, maxLength: 3 }), damage: fc.option(fc.nat(100)) });
    fc.assert(fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 40 }), fc.array(item, { minLength: 1, maxLength: 60 }), fc.nat(), (roomIds, items, pick) => {
      const world = randomWorld(roomIds, items);
      const refs = allRefs(world);
      const defs = new PackedDefinitions(packedWorld(world), 3);
      // Twice over, from a rotation: every lookup past the third moves the cache on a generation.
      const order = [...refs.slice(pick % refs.length), ...refs.slice(0, pick % refs.length)];
      for (const ref of [...order, ...order.reverse()]) expect(defs.get(ref)).toEqual(plain(world, ref));
    }), { numRuns: 60, seed: SEED });
  });
});

/** Rooms in a line, each item (three instances alike) in the first room. */
function randomWorld(roomIds: string[], items: Array<{ name: string; description: string; keywords: string[]; damage: number | null }>): WorldDefinition {
  const rooms: Record<Ref, RoomDef> = {};
  const defs: Record<Ref, ItemDef> = {};
  items.forEach((it, k) => {
    for (let n = 1; n <= 3; n++) {
      const id = `i${k}.${n}`;
      defs[`item/${id}`] = {
        kind: it.damage === null ? 'item' : 'weapon', ref: `item/${id}`, id, name: it.name, keywords: it.keywords, description: it.description,
        takeable: true, props: it.damage === null ? {} : { damage: it.damage, condition: 100 }, contents: [],
      };
    }
  });
  roomIds.forEach((id, i) => {
    rooms[`room/${id}`] = {
      kind: 'room', ref: `room/${id}`, id, name: `Room ${id}`, description: 'A room.', area: 'random',
      exits: i + 1 < roomIds.length ? { east: `room/${roomIds[i + 1]}` } : {}, items: i === 0 ? Object.keys(defs) : [],
    };
  });
  return { name: 'random', source: '/nowhere', startRoom: `room/${roomIds[0]}`, areas: {}, rooms, items: defs };
}
