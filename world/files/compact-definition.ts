import { ItemInstance } from '../core/item-instance.js';
import type { ItemDef, Ref, RoomDef } from '../core/types.js';
import type { LinkedWorld } from './world-links.js';

// The checked world rebuilt in its final, compact form, once every check has
// passed: a world of 1,000,000 objects keeps this for as long as it is live
// (docs/BENCHMARKS.md, "Issue 15: memory").
// - Equal values are one value: instances of an item share its name,
//   description, keywords and props; rooms alike share their description; every
//   empty contents list is one frozen array.
// - An item alike an earlier one but for its ref (an item's instances) keeps
//   no def of its own: it is an ItemInstance reading the earlier one's.
// - Every ref is one string: a room's exits and items point at the very string
//   that keys the target's record, not at copies the reader made per mention.
// - The defs are made here, after the reader's drafts and parse trees: the
//   long-lived objects then sit together rather than scattered over pages of
//   garbage that V8 could not give back.
// Shared values are frozen: a handler that mutated one would change every
// instance (none does; the kinds copy what they keep in state).

const EMPTY_REFS: Ref[] = Object.freeze([]) as unknown as Ref[];

export function compactDefinition(linked: LinkedWorld): LinkedWorld {
  const shared = new Sharing();
  // The records' keys are the world's canonical ref strings (V8 interns a
  // record's keys): every def and every mention of a ref points at those. The
  // records are kept and their values replaced: a second record of a million
  // keys would cost seconds to build.
  const refs = new Map<string, Ref>();
  const itemRefs = Object.keys(linked.items);
  const roomRefs = Object.keys(linked.rooms);
  for (const ref of itemRefs) refs.set(ref, ref);
  for (const ref of roomRefs) refs.set(ref, ref);
  const canonical = (ref: Ref) => refs.get(ref) ?? ref;
  const alike = new Map<string, ItemDef>();
  for (const ref of itemRefs) {
    const item = compactItem(ref, linked.items[ref], shared, canonical);
    const shape = shared.shapeOf(item);
    const first = alike.get(shape);
    if (first) linked.items[ref] = new ItemInstance(ref, first);
    else alike.set(shape, (linked.items[ref] = item));
  }
  for (const ref of roomRefs) linked.rooms[ref] = compactRoom(ref, linked.rooms[ref], shared, canonical);
  return { areas: linked.areas, name: linked.name, startRoom: canonical(linked.startRoom), rooms: linked.rooms, items: linked.items, socials: linked.socials };
}

type Canonical = (ref: Ref) => Ref;

function compactItem(ref: Ref, def: ItemDef, shared: Sharing, canonical: Canonical): ItemDef {
  const item: ItemDef = {
    kind: def.kind,
    ref,
    id: ref.slice('item/'.length),
    name: shared.text(def.name),
    keywords: shared.value(def.keywords),
    description: shared.text(def.description),
    takeable: def.takeable,
    props: shared.value(def.props),
    contents: def.contents.length > 0 ? def.contents.map(canonical) : EMPTY_REFS,
  };
  if (def.script) item.script = shared.value(def.script);
  return item;
}

function compactRoom(ref: Ref, def: RoomDef, shared: Sharing, canonical: Canonical): RoomDef {
  const exits: Record<string, Ref> = {};
  for (const dir in def.exits) exits[dir] = canonical(def.exits[dir]);
  const room: RoomDef = {
    kind: 'room',
    ref,
    id: ref.slice('room/'.length),
    name: shared.text(def.name),
    description: shared.text(def.description),
    exits,
    items: def.items.length > 0 ? def.items.map(canonical) : EMPTY_REFS,
    area: shared.text(def.area),
  };
  if (def.doors) {
    const doors: Record<string, Ref> = {};
    for (const dir in def.doors) doors[dir] = canonical(def.doors[dir]);
    room.doors = doors;
  }
  if (def.extras) room.extras = shared.value(def.extras);
  if (def.environment) room.environment = shared.text(def.environment);
  if (def.script) room.script = shared.value(def.script);
  return room;
}

/** One copy of each distinct string and each distinct JSON value (frozen). */
class Sharing {
  private readonly texts = new Map<string, string>();
  private readonly values = new Map<string, unknown>();
  private readonly identities = new Map<unknown, number>();

  text(s: string): string {
    const known = this.texts.get(s);
    if (known !== undefined) return known;
    const own = ownCopy(s);
    this.texts.set(own, own);
    return own;
  }

  /** Equal for two items alike but for their ref and id (their values already shared). */
  shapeOf(item: ItemDef): string {
    const { kind, name, description, takeable, keywords, props, contents, script } = item;
    return `${kind}\0${takeable}\0${name}\0${description}\0${this.identity(keywords)}\0${this.identity(props)}\0${this.identity(contents)}\0${this.identity(script)}`;
  }

  private identity(v: unknown): number {
    let n = this.identities.get(v);
    if (n === undefined) this.identities.set(v, (n = this.identities.size));
    return n;
  }

  value<T>(v: T): T {
    const key = JSON.stringify(v);
    const known = this.values.get(key);
    if (known !== undefined) return known as T;
    const own = JSON.parse(key) as T; // its strings copied out of the file text (see ownCopy)
    deepFreeze(own);
    this.values.set(key, own);
    return own;
  }
}

/** A string of its own: the YAML reader's strings are slices of the whole file's
 *  text, and one kept slice (a room's name) keeps the file's 2 MB alive: 40 MB
 *  at 1,000,000 objects. JSON's reader makes new strings. */
function ownCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  for (const inner of Object.values(v)) deepFreeze(inner);
  Object.freeze(v);
}
