import { Buffer } from 'node:buffer';
import type { AreaDef, ObjectDef, Ref, ScriptSource } from '../core/types.js';
import type { WorldDefinition } from './world-def.js';
import { ItemInstance } from '../core/item-instance.js';
import type { SocialDef } from '../commands/socials.js';

// A world definition packed into one SharedArrayBuffer, for the nodes of this
// process: every worker thread reads the same bytes instead of holding its own
// structured-clone copy of every definition (about 300 bytes per object per
// node; a world of 1,000,000 objects cost 800 MB more per node). A node decodes
// a definition when a turn first asks for it and keeps the recent ones.
//
// Layout (all offsets in bytes into `buffer`):
//   slots   Int32Array[capacity]  open addressing on FNV-1a of the ref: entry + 1, 0 = empty
//   keys    Uint32Array[count+1]  where entry i's ref starts in `text` (ends where i+1 starts)
//   bodies  Uint32Array[count]    which body entry i has
//   spans   Uint32Array[bodies+1] where body j starts in `text`
//   text    UTF-8: every ref, then every distinct body
// A body is the definition's JSON with `ref` and `id` blank: instances of one
// item, alike but for their ref, share one body.

export interface PackedWorld {
  format: 'packed-world/1';
  name: string;
  source: string;
  startRoom: Ref;
  /** The areas, as plain data (a handful: copied, not packed). */
  areas: Readonly<Record<string, AreaDef>>;
  /** The socials, as plain data (a table of short lines: copied, not packed). */
  socials: Readonly<Record<string, SocialDef>>;
  /** Objects with a builder script, and the script (few; compiled by each node). */
  scripts: Array<[Ref, ScriptSource]>;
  count: number;
  capacity: number;
  distinctBodies: number;
  buffer: SharedArrayBuffer;
}

export function isPackedWorld(v: WorldDefinition | PackedWorld): v is PackedWorld {
  return (v as PackedWorld).format === 'packed-world/1';
}

const packs = new WeakMap<WorldDefinition, PackedWorld>();

/** The packed form of a definition, made once per definition. */
export function packedWorld(def: WorldDefinition): PackedWorld {
  let packed = packs.get(def);
  if (!packed) packs.set(def, (packed = pack(def)));
  return packed;
}

function pack(def: WorldDefinition): PackedWorld {
  const refs: Ref[] = [];
  const bodyOf: number[] = [];
  const bodies: string[] = [];
  const bodyIndex = new Map<string, number>();
  const bodyByDef = new Map<ObjectDef, number>();
  const scripts: Array<[Ref, ScriptSource]> = [];
  for (const records of [def.rooms, def.items] as Array<Record<Ref, ObjectDef>>) {
    for (const ref of Object.keys(records)) {
      const obj = records[ref];
      if ('script' in obj && obj.script) scripts.push([ref, obj.script]);
      // Instances alike (world/core/item-instance.ts) have their shared def's body: found without JSON.
      const alike = obj instanceof ItemInstance ? obj.shared : obj;
      let j = bodyByDef.get(alike);
      if (j === undefined) {
        const body = JSON.stringify({ ...alike, ref: '', id: '' });
        j = bodyIndex.get(body);
        if (j === undefined) bodyIndex.set(body, (j = bodies.push(body) - 1));
        bodyByDef.set(alike, j);
      }
      refs.push(ref);
      bodyOf.push(j);
    }
  }
  const count = refs.length;
  const capacity = slotsFor(count);
  const encoder = new TextEncoder();
  // Sized without encoding, then encoded in place: a Uint8Array per body is a
  // malloc each, and 100,000 rooms' bodies left about 50 MB of the malloc heap
  // resident after they were freed (docs/BENCHMARKS.md, "Memory, second pass").
  const textBytes = refs.reduce((n, r) => n + r.length, 0) + bodies.reduce((n, b) => n + Buffer.byteLength(b, 'utf8'), 0);
  const layout = new Layout(capacity, count, bodies.length);
  const buffer = new SharedArrayBuffer(layout.textAt + textBytes);
  const v = layout.views(buffer);
  let at = 0;
  for (let i = 0; i < count; i++) {
    v.keys[i] = at;
    at += encoder.encodeInto(refs[i], v.text.subarray(at)).written;
    v.bodies[i] = bodyOf[i];
    let slot = hashOf(refs[i]) & (capacity - 1);
    while (v.slots[slot] !== 0) slot = (slot + 1) & (capacity - 1);
    v.slots[slot] = i + 1;
  }
  v.keys[count] = at;
  for (let j = 0; j < bodies.length; j++) {
    v.spans[j] = at;
    at += encoder.encodeInto(bodies[j], v.text.subarray(at)).written;
  }
  v.spans[bodies.length] = at;
  return { format: 'packed-world/1', name: def.name, source: def.source, startRoom: def.startRoom, areas: def.areas, socials: def.socials ?? {}, scripts, count, capacity, distinctBodies: bodies.length, buffer };
}

/** Definitions read from a packed world, decoded on first use; the recently
 *  used ones kept (two generations, so a burst over many cold objects cannot
 *  grow the cache without bound). */
export class PackedDefinitions {
  private readonly v: Views;
  private readonly decoder = new TextDecoder();
  private recent = new Map<Ref, ObjectDef>();
  private older = new Map<Ref, ObjectDef>();
  private readonly bodies = new Map<number, string>();

  constructor(private readonly packed: PackedWorld, private readonly keep = 50_000) {
    this.v = new Layout(packed.capacity, packed.count, packed.distinctBodies).views(packed.buffer);
  }

  get(ref: Ref): ObjectDef | undefined {
    // Only rooms and items are defined by the world: players and channels are asked about often.
    if (!ref.startsWith('room/') && !ref.startsWith('item/')) return undefined;
    const hit = this.recent.get(ref);
    if (hit) return hit;
    let def = this.older.get(ref);
    if (!def) {
      const i = this.find(ref);
      if (i < 0) return undefined;
      def = this.decode(ref, this.v.bodies[i]);
    }
    if (this.recent.size >= this.keep) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(ref, def);
    return def;
  }

  private find(ref: Ref): number {
    const { slots, keys, text } = this.v;
    const mask = this.packed.capacity - 1;
    for (let slot = hashOf(ref) & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      const i = slots[slot] - 1;
      const start = keys[i];
      if (keys[i + 1] - start !== ref.length) continue;
      let k = 0;
      while (k < ref.length && text[start + k] === ref.charCodeAt(k)) k++;
      if (k === ref.length) return i;
    }
    return -1;
  }

  private decode(ref: Ref, body: number): ObjectDef {
    // A body shared by many instances is decoded to text once, parsed per instance
    // (each instance is its own object: callers may key caches by it).
    let json = this.bodies.get(body);
    if (json === undefined) {
      json = this.decoder.decode(this.v.text.subarray(this.v.spans[body], this.v.spans[body + 1]));
      if (this.bodies.size < this.keep) this.bodies.set(body, json);
    }
    const def = JSON.parse(json) as ObjectDef;
    def.ref = ref;
    def.id = ref.slice(ref.indexOf('/') + 1);
    return def;
  }
}

interface Views {
  slots: Int32Array;
  keys: Uint32Array;
  bodies: Uint32Array;
  spans: Uint32Array;
  text: Uint8Array;
}

class Layout {
  readonly textAt: number;
  private readonly keysAt: number;
  private readonly bodiesAt: number;
  private readonly spansAt: number;

  constructor(private readonly capacity: number, private readonly count: number, private readonly distinct: number) {
    this.keysAt = capacity * 4;
    this.bodiesAt = this.keysAt + (count + 1) * 4;
    this.spansAt = this.bodiesAt + count * 4;
    this.textAt = this.spansAt + (distinct + 1) * 4;
  }

  views(buffer: SharedArrayBuffer): Views {
    return {
      slots: new Int32Array(buffer, 0, this.capacity),
      keys: new Uint32Array(buffer, this.keysAt, this.count + 1),
      bodies: new Uint32Array(buffer, this.bodiesAt, this.count),
      spans: new Uint32Array(buffer, this.spansAt, this.distinct + 1),
      text: new Uint8Array(buffer, this.textAt),
    };
  }
}

/** A power of two with the table at most half full. */
function slotsFor(count: number): number {
  let n = 16;
  while (n < count * 2) n *= 2;
  return n;
}

/** FNV-1a over the ref's characters (refs are ASCII: see REF_PATTERN). */
function hashOf(ref: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ref.length; i++) h = Math.imul(h ^ ref.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
