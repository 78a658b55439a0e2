import type { AreaDef, ItemDef, Ref, RoomDef } from '../core/types.js';
import { linkAreas, settleRespawns, type AreaDraft } from './world-areas.js';
import type { WorldError } from './world-def.js';
import type { ItemDraft } from './world-items.js';
import type { Spot } from './world-schema.js';
import { roomNumber } from '../core/room-number.js';
import { linkDoors } from './world-doors.js';
import { linkUses } from './world-uses.js';
import { linkShops } from './world-shops.js';
import type { SocialDraft } from './world-socials.js';
import type { SocialDef } from '../commands/socials.js';
import type { Placement, RoomDraft, WorldSectionDraft } from './world-sections.js';

// The checks that need the whole world: ids unique across files, exits leading
// somewhere, every item instance placed exactly once, keys that are keys, no
// container inside itself, one `world` section naming a real start room; areas
// (world/files/world-areas.ts).

export interface Drafts {
  rooms: RoomDraft[];
  items: ItemDraft[];
  worlds: WorldSectionDraft[];
  areas: AreaDraft[];
  socials: SocialDraft[];
}

export interface LinkedWorld {
  name: string;
  startRoom: Ref;
  rooms: Record<Ref, RoomDef>;
  items: Record<Ref, ItemDef>;
  areas: Record<string, AreaDef>;
  /** The gestures players can make (world/commands/socials.ts), linked by the loader. */
  socials: Record<string, SocialDef>;
}

const where = (s: Spot) => `${s.file}:${s.line}:${s.column}`;

export function linkWorld(drafts: Drafts, firstFile: Spot, errors: WorldError[]): LinkedWorld {
  const fail = (spot: Spot, message: string) => errors.push({ ...spot, message });
  const rooms = uniqueRooms(drafts.rooms, fail);
  const items = uniqueItems(drafts.items, fail);
  const section = checkWorldSection(drafts.worlds, rooms, firstFile, fail);
  checkExits(rooms, fail);
  linkDoors(rooms, items, fail);
  linkUses(rooms, items, fail);
  linkShops(items, fail);
  checkPlacements(rooms, items, fail);
  checkContainers(items, fail);
  checkWanderRooms(items, rooms, fail);
  checkNesting(items, fail);
  checkRoomNumbers(rooms, fail);
  const areas = linkAreas(drafts.areas, rooms, { name: section?.name ?? '', respawn: section?.respawn }, fail);
  settleRespawns(items, rooms, areas, fail);
  // Filled in a loop: a [key, value] pair per object would be a million arrays more at the peak.
  const roomDefs: Record<Ref, RoomDef> = {};
  for (const r of rooms.values()) roomDefs[r.def.ref] = r.def;
  const itemDefs: Record<Ref, ItemDef> = {};
  for (const i of items.values()) itemDefs[i.def.ref] = i.def;
  return { areas, name: section?.name ?? '', startRoom: `room/${section?.start ?? ''}`, rooms: roomDefs, items: itemDefs, socials: {} };
}

type Fail = (spot: Spot, message: string) => void;

/** Client mappers know rooms by number (world/core/room-number.ts): two rooms must not share one. */
function checkRoomNumbers(rooms: Map<string, RoomDraft>, fail: Fail): void {
  const seen = new Map<number, RoomDraft>();
  for (const room of rooms.values()) {
    const num = roomNumber(room.def.ref);
    const first = seen.get(num);
    if (first) fail(room.spot, `room '${room.def.id}' has the same map number as '${first.def.id}' (${where(first.spot)}); rename one of them`);
    else seen.set(num, room);
  }
}

function bySpot(a: Spot, b: Spot): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column;
}

function uniqueRooms(drafts: RoomDraft[], fail: Fail): Map<string, RoomDraft> {
  const rooms = new Map<string, RoomDraft>();
  for (const room of drafts) {
    const first = rooms.get(room.def.id);
    if (first) fail(room.spot, `duplicate room id '${room.def.id}' (first defined at ${where(first.spot)})`);
    else rooms.set(room.def.id, room);
  }
  return rooms;
}

/** Keyed by ref. Instances of one item share its `baseSpot`; another item
 *  written with the same id has a different one. */
function uniqueItems(drafts: ItemDraft[], fail: Fail): Map<Ref, ItemDraft> {
  const declared = new Map<string, Spot>();
  const reported = new Set<string>();
  const items = new Map<Ref, ItemDraft>();
  for (const item of drafts) {
    const first = declared.get(item.baseId);
    if (first && where(first) !== where(item.baseSpot)) {
      if (!reported.has(where(item.baseSpot))) fail(item.baseSpot, `duplicate item id '${item.baseId}' (first defined at ${where(first)})`);
      reported.add(where(item.baseSpot));
      continue;
    }
    declared.set(item.baseId, item.baseSpot);
    items.set(item.def.ref, item);
  }
  return items;
}

function checkWorldSection(
  sections: WorldSectionDraft[], rooms: Map<string, RoomDraft>, firstFile: Spot, fail: Fail,
): WorldSectionDraft | undefined {
  if (sections.length === 0) {
    fail(firstFile, "no 'world' section found (add `world: { name: ..., start: <room id> }` to one file)");
    return undefined;
  }
  for (const extra of sections.slice(1)) fail(extra.spot, `duplicate 'world' section (first at ${where(sections[0].spot)})`);
  const section = sections[0];
  if (section.start && section.startSpot && !rooms.has(section.start)) {
    fail(section.startSpot, `start room '${section.start}' does not exist`);
  }
  return section;
}

function checkExits(rooms: Map<string, RoomDraft>, fail: Fail): void {
  for (const room of rooms.values()) {
    for (const exit of room.exits) {
      if (!rooms.has(exit.target)) {
        fail(exit.spot, `exit ${exit.dir} of room '${room.def.id}' leads to unknown room '${exit.target}'`);
      }
    }
  }
}

function checkPlacements(rooms: Map<string, RoomDraft>, items: Map<Ref, ItemDraft>, fail: Fail): void {
  const placed = new Map<Ref, Placement>();
  const twice = new Map<Ref, Placement[]>();
  const place = (p: Placement) => {
    const ref = `item/${p.id}`;
    if (!items.has(ref)) return fail(p.spot, unknownItem(p.id, items));
    const first = placed.get(ref);
    if (!first) placed.set(ref, p);
    else twice.set(ref, [...(twice.get(ref) ?? [first]), p]);
  };
  for (const room of rooms.values()) for (const p of room.placements) place(p);
  for (const item of items.values()) for (const p of item.contents) place(p);
  // Only an item placed more than once needs file order: "placed twice" points at the later ones.
  for (const [ref, all] of twice) {
    all.sort((a, b) => bySpot(a.spot, b.spot));
    placed.set(ref, all[0]);
    for (const p of all.slice(1)) fail(p.spot, `item '${p.id}' is placed twice (also at ${where(all[0].spot)})`);
  }
  for (const item of items.values()) {
    // The corpse is the pattern of what a fallen player leaves (world/kinds/corpse.ts): made at deaths, never placed.
    if (item.def.kind === 'corpse') {
      const at = placed.get(item.def.ref);
      if (at) fail(at.spot, "item 'corpse' is made where a player falls: it cannot be placed");
    } else if (!placed.has(item.def.ref) && item.def.kind !== 'door') {
      fail(item.spot, `item '${item.def.id}' is placed nowhere (list it in a room's items or a container's contents)`);
    }
  }
}

/** "unknown item", with a hint when the id only misses (or adds) an instance number. */
function unknownItem(id: string, items: Map<Ref, ItemDraft>): string {
  const [base, n] = id.split('.');
  const siblings = [...items.values()].filter((i) => i.baseId === base);
  if (siblings.length === 0) return `unknown item '${id}'`;
  if (n === undefined) return `unknown item '${id}': it has ${siblings.length} instances, place them as ${base}.1 ... ${base}.${siblings.length}`;
  if (siblings[0].def.id === base) return `unknown item '${id}': '${base}' has no instances, place it as ${base}`;
  return `unknown item '${id}': '${base}' has only ${siblings.length} instances`;
}

/** Keys that exist and are keys; contents within capacity. */
function checkContainers(items: Map<Ref, ItemDraft>, fail: Fail): void {
  for (const item of items.values()) {
    const capacity = item.def.props.capacity;
    if (typeof capacity === 'number' && item.contents.length > capacity) {
      fail(item.spot, `container '${item.def.id}' holds ${item.contents.length} items but its capacity is ${capacity}`);
    }
    const key = item.def.props.key;
    if (typeof key !== 'string' || !item.keySpot) continue;
    const keyId = key.slice('item/'.length);
    const keyItem = items.get(key);
    if (!keyItem) fail(item.keySpot, `key '${keyId}' of ${holderKind(item)} '${item.def.id}' is ${unknownItem(keyId, items)}`);
    else if (keyItem.def.kind !== 'key') {
      fail(item.keySpot, `key '${keyId}' of ${holderKind(item)} '${item.def.id}' is a ${keyItem.def.kind}, not a key item`);
    }
  }
}

const holderKind = (item: ItemDraft) => (item.def.kind === 'door' ? 'door' : 'container');

/** A creature wanders only between rooms that exist. */
function checkWanderRooms(items: Map<Ref, ItemDraft>, rooms: Map<string, RoomDraft>, fail: Fail): void {
  for (const item of items.values()) {
    const wander = item.def.props.wander;
    if (!Array.isArray(wander)) continue;
    for (const ref of wander) {
      const id = String(ref).slice('room/'.length);
      if (!rooms.has(id)) fail(item.spot, `creature '${item.def.id}' may wander to unknown room '${id}'`);
    }
  }
}

/** A container that turns up among the containers around it is inside itself. */
function checkNesting(items: Map<Ref, ItemDraft>, fail: Fail): void {
  const holder = new Map<Ref, Placement>();
  for (const item of items.values()) {
    for (const p of item.contents) if (!holder.has(`item/${p.id}`)) holder.set(`item/${p.id}`, p);
  }
  const reported = new Set<Ref>();
  for (const item of items.values()) {
    const self = item.def.ref;
    if (item.def.kind !== 'container' || reported.has(self)) continue;
    const around = containersAround(self, holder);
    if (!around.includes(self)) continue;
    const loop = [self, ...around.slice(0, around.indexOf(self) + 1)];
    loop.forEach((r) => reported.add(r));
    const names = loop.map((r) => r.slice('item/'.length)).join(' in ');
    fail(holder.get(self)!.spot, `container '${item.def.id}' is nested in itself (${names})`);
  }
}

/** The containers holding `ref`, innermost first, stopping at the first repeat. */
function containersAround(ref: Ref, holder: Map<Ref, Placement>): Ref[] {
  const around: Ref[] = [];
  for (let at = holder.get(ref); at && !around.includes(at.owner); at = holder.get(at.owner)) around.push(at.owner);
  return around;
}
