import type { AreaDef, ItemKindName, Ref, RespawnSettings } from '../core/types.js';
import { DEFAULT_AREA, DEFAULT_RESPAWN } from '../core/area.js';
import { ITEM_KIND_NAMES, ITEM_KINDS } from '../kinds/item-kinds.js';
import { readDuration } from './durations.js';
import type { ItemDraft } from './world-items.js';
import { ID_PATTERN, type Field, type Spot, type YamlReader } from './world-schema.js';
import type { RoomDraft } from './world-sections.js';

// Reads the `areas` section (an area: a name, its rooms, its respawn pace)
// and checks areas across files: each room in one area at most, every listed
// room real. Then settles each creature's and item's respawn delay from its
// own `respawn` key or, failing that, its home area's.

/** `respawn:` as written: seconds, false for `never`, undefined where unset. */
export interface RespawnDraft {
  npcs?: number | false;
  items?: number | false;
}

export interface AreaDraft {
  id: string;
  spot: Spot;
  name?: string;
  rooms: Array<{ id: string; spot: Spot }>;
  respawn: RespawnDraft;
}

/** Shortest and longest respawn delay: a tenth of a second (test worlds) to a week (the longest timer). */
export const RESPAWN_MIN_S = 0.1;
export const RESPAWN_MAX_S = 7 * 86_400;

/** Kinds that come back as new copies when taken (world/core/item-respawn.ts). Containers
 *  would bring copies of their contents; creatures come back themselves, on death. */
/** The kinds that come back after their area's `respawn.items` when taken (declared in world/kinds/item-kinds.ts). */
export const RESPAWNING_KINDS: ReadonlySet<ItemKindName> = new Set(ITEM_KIND_NAMES.filter((k) => ITEM_KINDS[k].respawns));

type Fail = (spot: Spot, message: string) => void;
const where = (s: Spot) => `${s.file}:${s.line}:${s.column}`;

export function readAreas(r: YamlReader, f: Field): AreaDraft[] {
  const areas: AreaDraft[] = [];
  for (const { key, keySpot, value } of r.entries(f) ?? []) {
    if (!ID_PATTERN.test(key)) {
      r.fail(keySpot, `invalid area id '${key}' (use lowercase letters, digits and _)`);
      continue;
    }
    if (key === DEFAULT_AREA) {
      r.fail(keySpot, `area id '${DEFAULT_AREA}' is reserved for the rooms outside every area`);
      continue;
    }
    const fields = r.fields(value, ['name', 'rooms', 'respawn'], ['name', 'rooms']);
    if (!fields) continue;
    const area: AreaDraft = { id: key, spot: keySpot, rooms: [], respawn: {} };
    if (fields.name) area.name = r.string(fields.name)?.trim();
    if (fields.rooms) {
      const list = r.list(fields.rooms);
      if (list?.length === 0) r.fail(fields.rooms, `${fields.rooms.path} must list at least one room`);
      for (const entry of list ?? []) {
        const id = r.id(entry);
        if (id) area.rooms.push({ id, spot: entry.spot });
      }
    }
    if (fields.respawn) area.respawn = readRespawn(r, fields.respawn);
    areas.push(area);
  }
  return areas;
}

/** `respawn: { npcs: 60s, items: 5m }`: either may be `never`. */
export function readRespawn(r: YamlReader, f: Field): RespawnDraft {
  const fields = r.fields(f, ['npcs', 'items']);
  const draft: RespawnDraft = {};
  if (fields?.npcs) draft.npcs = readDuration(r, fields.npcs, RESPAWN_MIN_S, RESPAWN_MAX_S, true);
  if (fields?.items) draft.items = readDuration(r, fields.items, RESPAWN_MIN_S, RESPAWN_MAX_S, true);
  return draft;
}

/** The areas by id, each room's `area` set; rooms no area lists make up the default area. */
export function linkAreas(
  drafts: AreaDraft[], rooms: Map<string, RoomDraft>, world: { name: string; respawn?: RespawnDraft }, fail: Fail,
): Record<string, AreaDef> {
  const areas: Record<string, AreaDef> = {};
  const declared = new Map<string, AreaDraft>();
  const placed = new Map<string, { area: AreaDraft; spot: Spot }>();
  for (const draft of drafts) {
    const first = declared.get(draft.id);
    if (first) {
      fail(draft.spot, `duplicate area id '${draft.id}' (first defined at ${where(first.spot)})`);
      continue;
    }
    declared.set(draft.id, draft);
    areas[draft.id] = { id: draft.id, name: draft.name ?? draft.id, respawn: settle(draft.respawn) };
    for (const { id, spot } of draft.rooms) {
      const room = rooms.get(id);
      const earlier = placed.get(id);
      if (!room) fail(spot, `area '${draft.id}' lists unknown room '${id}'`);
      else if (earlier?.area === draft) fail(spot, `room '${id}' is listed twice in area '${draft.id}' (also at ${where(earlier.spot)})`);
      else if (earlier) fail(spot, `room '${id}' is in two areas: '${earlier.area.id}' (${where(earlier.spot)}) and '${draft.id}'`);
      else {
        placed.set(id, { area: draft, spot });
        room.def.area = draft.id;
      }
    }
  }
  const outside = [...rooms.values()].filter((room) => !placed.has(room.def.id));
  if (outside.length > 0) {
    areas[DEFAULT_AREA] = { id: DEFAULT_AREA, name: world.name, respawn: settle(world.respawn ?? {}) };
    for (const room of outside) room.def.area = DEFAULT_AREA;
  }
  return areas;
}

function settle(draft: RespawnDraft): RespawnSettings {
  const pick = (v: number | false | undefined, fallback: number | null) => (v === false ? null : v ?? fallback);
  return { npcs: pick(draft.npcs, DEFAULT_RESPAWN.npcs), items: pick(draft.items, DEFAULT_RESPAWN.items) };
}

/** Each creature's and respawning item's delay in seconds (`props.respawn`),
 *  from its own `respawn` key or its home area's setting; absent when it never
 *  comes back. A creature's loot comes back with the creature, never on its own. */
export function settleRespawns(items: Map<Ref, ItemDraft>, rooms: Map<string, RoomDraft>, areas: Record<string, AreaDef>, fail: Fail): void {
  const holder = new Map<Ref, Ref>();
  for (const room of rooms.values()) for (const p of room.placements) holder.set(`item/${p.id}`, room.def.ref);
  for (const item of items.values()) for (const p of item.contents) holder.set(`item/${p.id}`, item.def.ref);
  for (const item of items.values()) {
    const props = item.def.props;
    const own = props.respawn as number | false | undefined;
    const home = homeOf(item.def.ref, holder, items);
    const creature = item.def.kind === 'npc' ? undefined : home.creature;
    if (creature && own !== undefined) {
      fail(item.spot, `item '${item.def.id}' is the loot of creature '${creature.def.id}': it comes back with the creature, so it takes no respawn of its own`);
    }
    const area = areas[rooms.get(home.room?.slice('room/'.length) ?? '')?.def.area ?? DEFAULT_AREA];
    const setting = creature ? null : item.def.kind === 'npc' ? area?.respawn.npcs : RESPAWNING_KINDS.has(item.def.kind) ? area?.respawn.items : null;
    // A shop's stock is no loot: what it sold comes back after the shop's `restock` (or the area's items' pace).
    const restock = creature?.def.props.shop === true ? (creature.def.props.restock as number | false | undefined) ?? area?.respawn.items ?? null : null;
    const seconds = creature ? (restock === false ? null : restock) : own === false ? null : own ?? setting ?? null;
    if (seconds === null) delete props.respawn;
    else props.respawn = seconds;
  }
}

/** The room an item starts in, through the containers holding it, and the creature whose loot it is, if any. */
function homeOf(ref: Ref, holder: Map<Ref, Ref>, items: Map<Ref, ItemDraft>): { room?: Ref; creature?: ItemDraft } {
  let creature: ItemDraft | undefined;
  let at = holder.get(ref);
  // Bounded: a container nested in itself is reported elsewhere and must not loop here.
  for (let hops = 0; at && at.startsWith('item/') && hops < holder.size; hops++) {
    const outer = items.get(at);
    if (outer?.def.kind === 'npc') creature ??= outer;
    at = holder.get(at);
  }
  return { room: at?.startsWith('room/') ? at : undefined, creature };
}
