import path from 'node:path';
import type { Json } from '../core/types.js';
import { DIRECTION_ALIASES, isDirection, opposite } from '../commands/directions.js';
import { ID_PATTERN } from './world-schema.js';
import { isObject, type SourceEntry, type WorldSource } from './world-source.js';
import { ITEM_KIND_NAMES, ITEM_KINDS } from '../kinds/item-kinds.js';

// What each building command changes in the world's entries (world-source.ts), as
// the YAML would say it. Each returns a refusal (a sentence, nothing changed) or
// what it did; the caller checks the whole result with the world checker before
// anything goes live, so these only refuse what the checker could not explain.

export type BuildResult = { ok: true; message: string; place?: string; unplace?: string } | { ok: false; error: string };

/** The kinds `@create` makes, with what each needs to load (each kind's `created`). */
export const CREATABLE: Readonly<Record<string, { [key: string]: Json }>> = Object.fromEntries(
  ITEM_KIND_NAMES.flatMap((k) => (ITEM_KINDS[k].created ? [[k, ITEM_KINDS[k].created]] : [])),
);

const refuse = (error: string): BuildResult => ({ ok: false, error });

export function direction(word: string): string | undefined {
  const w = word.toLowerCase();
  const dir = DIRECTION_ALIASES[w] ?? w;
  return isDirection(dir) ? dir : undefined;
}

/** Where an exit leads, written as `north: library` or `north: { to: library, door: oak_door }`. */
export function exitTarget(exit: Json | undefined): { to: string; door?: string } | undefined {
  if (typeof exit === 'string') return { to: exit };
  if (isObject(exit) && typeof exit.to === 'string') return { to: exit.to, door: typeof exit.door === 'string' ? exit.door : undefined };
  return undefined;
}

function exitsOf(room: SourceEntry): { [dir: string]: Json } {
  return isObject(room.value.exits) ? { ...room.value.exits } : {};
}

function listOf(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function badId(id: string): string | undefined {
  return ID_PATTERN.test(id) ? undefined : `"${id}" is not an id: lowercase letters, digits and _ only`;
}

/** A room's title from its id: `north_tower` -> "North Tower". */
export function titleOf(id: string): string {
  return id.split('_').filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
}

/** `@dig <dir> <id> [name]`: a new room that way, with the way back, in this room's file and area. */
export function dig(src: WorldSource, by: string, here: string, dirWord: string, id: string, name: string): BuildResult {
  const dir = direction(dirWord);
  if (!dir) return refuse(`"${dirWord}" is not a direction`);
  const bad = badId(id);
  if (bad) return refuse(bad);
  const room = src.entry('rooms', here)!;
  if (src.entry('rooms', id)) return refuse(`there is a room '${id}' already: @open ${dir} ${id} to join it`);
  const exits = exitsOf(room);
  if (exits[dir] !== undefined) return refuse(`this room has an exit ${dir} already (@close ${dir} first)`);
  src.set('rooms', here, { ...room.value, exits: { ...exits, [dir]: id } }, by);
  src.set('rooms', id, { name: name || titleOf(id), description: 'Bare walls, waiting for a description.', exits: { [opposite(dir)!]: here } }, by, room.file);
  const area = [...src.all('areas')].find(([, a]) => listOf(a.value.rooms).includes(here));
  if (area) src.set('areas', area[0], { ...area[1].value, rooms: [...listOf(area[1].value.rooms), id] }, by);
  return { ok: true, message: `You dig ${dir}: ${name || titleOf(id)} (room ${id}), with the way back ${opposite(dir)}.` };
}

/** `@open <dir> <room> [door <id>]`: an exit to a room that exists, and the way back when that way is free there. */
export function openExit(src: WorldSource, by: string, here: string, dirWord: string, to: string, door?: string): BuildResult {
  const dir = direction(dirWord);
  if (!dir) return refuse(`"${dirWord}" is not a direction`);
  const room = src.entry('rooms', here)!;
  const target = src.entry('rooms', to);
  if (!target) return refuse(`there is no room '${to}' (@dig ${dir} ${to} makes one)`);
  const exits = exitsOf(room);
  if (exits[dir] !== undefined) return refuse(`this room has an exit ${dir} already (@close ${dir} first)`);
  if (door) {
    const bad = badId(door);
    if (bad) return refuse(bad);
    if (src.entry('items', door)) return refuse(`there is an item '${door}' already: a door needs an id of its own`);
  }
  const back = opposite(dir)!;
  const theirs = exitsOf(target);
  const twoWay = to !== here && (theirs[back] === undefined || exitTarget(theirs[back])?.to === here);
  const exit = (dest: string): Json => (door ? { to: dest, door } : dest);
  src.set('rooms', here, { ...room.value, exits: { ...exits, [dir]: exit(to) } }, by);
  if (twoWay) src.set('rooms', to, { ...target.value, exits: { ...theirs, [back]: exit(here) } }, by);
  if (door) src.set('items', door, { kind: 'door', name: 'a door', keywords: ['door'], description: 'A plain wooden door.' }, by, room.file);
  const withDoor = door ? ` through a door (${door})` : '';
  return { ok: true, message: `You open a way ${dir} to ${to}${withDoor}${twoWay ? `, and the way back ${back}` : ` (one way: ${to} has another exit ${back})`}.` };
}

/** `@close <dir>`: the exit goes, with the way back if it leads here, and its door if it stands on no other exit. */
export function closeExit(src: WorldSource, by: string, here: string, dirWord: string): BuildResult {
  const dir = direction(dirWord);
  if (!dir) return refuse(`"${dirWord}" is not a direction`);
  const room = src.entry('rooms', here)!;
  const exits = exitsOf(room);
  const exit = exitTarget(exits[dir]);
  if (!exit) return refuse(`there is no exit ${dir} here`);
  delete exits[dir];
  src.set('rooms', here, { ...room.value, exits }, by);
  const target = src.entry('rooms', exit.to);
  const back = opposite(dir)!;
  let both = false;
  if (target && exitTarget(exitsOf(target)[back])?.to === here) {
    const theirs = exitsOf(target);
    delete theirs[back];
    src.set('rooms', exit.to, { ...target.value, exits: theirs }, by);
    both = true;
  }
  if (exit.door && !doorStillUsed(src, exit.door)) src.set('items', exit.door, null, by);
  return { ok: true, message: `You close the way ${dir} to ${exit.to}${both ? `, and the way back ${back}` : ''}.` };
}

function doorStillUsed(src: WorldSource, door: string): boolean {
  for (const [, room] of src.all('rooms')) for (const e of Object.values(exitsOf(room))) if (exitTarget(e)?.door === door) return true;
  return false;
}

/** `@create <kind> <id> [name]`: a new item of a kind, lying here. */
export function create(src: WorldSource, by: string, here: string, kind: string, id: string, name: string): BuildResult {
  const props = CREATABLE[kind];
  if (!props) return refuse(`"${kind}" is not a kind builders make: ${Object.keys(CREATABLE).join(', ')}`);
  const bad = badId(id);
  if (bad) return refuse(bad);
  if (src.entry('items', id)) return refuse(`there is an item '${id}' already`);
  const room = src.entry('rooms', here)!;
  const called = name || `a ${id.replace(/_/g, ' ')}`;
  src.set('items', id, { kind, name: called, description: `${called[0].toUpperCase()}${called.slice(1)}, newly made.`, ...props }, by, room.file);
  src.set('rooms', here, { ...room.value, items: [...listOf(room.value.items), id] }, by);
  return { ok: true, message: `You make ${called} (${kind} ${id}); it lies here.`, place: id };
}

/** `@name`, `@desc`, `@keywords` on `here` (the room) or an item by id. */
export function setField(src: WorldSource, by: string, here: string, target: string, field: 'name' | 'description' | 'keywords', value: Json): BuildResult {
  const [section, id] = target === 'here' ? ['rooms', here] as const : ['items', target] as const;
  const entry = src.entry(section, id);
  if (!entry) return refuse(`there is no item '${target}' ("here" is this room)`);
  if (field === 'keywords' && section === 'rooms') return refuse('rooms have no keywords: extra descriptions answer words (@extra)');
  src.set(section, id, { ...entry.value, [field]: value }, by);
  return { ok: true, message: `The ${field} of ${section === 'rooms' ? `room ${id}` : id} ${field === 'keywords' ? 'are' : 'is'} set.` };
}

/** `@extra <words> = <text>`, or `@extra <words>` alone to remove it: scenery players can look at here. */
export function setExtra(src: WorldSource, by: string, here: string, words: string, text: string | undefined): BuildResult {
  const room = src.entry('rooms', here)!;
  const extras = isObject(room.value.extras) ? { ...room.value.extras } : {};
  const key = words.split(/[\s,]+/).filter(Boolean).join(', ').toLowerCase();
  if (!key) return refuse('extra description of what words?');
  if (text === undefined) {
    if (!(key in extras)) return refuse(`there is no extra description '${key}' here`);
    delete extras[key];
  } else extras[key] = text;
  const value: { [key: string]: Json } = { ...room.value, extras };
  if (Object.keys(extras).length === 0) delete value.extras;
  src.set('rooms', here, value, by);
  return { ok: true, message: text === undefined ? `The extra description '${key}' is gone.` : `Looking at ${key} here now shows your text.` };
}

/** Where a room's script lives: inline in its entry, in a file (path relative to the world), or nowhere yet. */
export function scriptPlace(src: WorldSource, room: string): { inline: string } | { file: string } | { none: true } {
  const entry = src.entry('rooms', room)!;
  const script = entry.value.script;
  if (typeof script !== 'string') return { none: true };
  if (script.includes('\n') || !script.trim().endsWith('.js')) return { inline: script };
  return { file: path.posix.normalize(path.posix.join(path.posix.dirname(entry.file), script.trim())) };
}

/** A room's script, replaced whole (the line editor's result): inline unless it already lives in a file. */
export function setScript(src: WorldSource, by: string, here: string, code: string): BuildResult {
  const room = src.entry('rooms', here)!;
  const place = scriptPlace(src, here);
  if ('file' in place) src.setScript(place.file, code, by);
  else {
    const value = { ...room.value };
    if (code.trim()) value.script = code.endsWith('\n') ? code : `${code}\n`;
    else delete value.script;
    src.set('rooms', here, value, by);
  }
  return { ok: true, message: `The script of room ${here} is set${'file' in place ? ` (in ${place.file})` : ''}.` };
}

/** `@destroy <item>`: an item whose world file places it in this room goes, with its place. */
export function destroyItem(src: WorldSource, by: string, here: string, id: string): BuildResult {
  const item = src.entry('items', id);
  if (!item) return refuse(`there is no item '${id}'`);
  if (Array.isArray(item.value.instances)) return refuse(`${id} has copies (instances): edit its world file to take them away`);
  if (item.value.kind === 'door') return refuse(`${id} is a door: @close the exits it stands on`);
  const room = src.entry('rooms', here)!;
  const items = listOf(room.value.items);
  if (!items.includes(id)) return refuse(`${id} does not start in this room: destroy it where the world files place it`);
  src.set('rooms', here, { ...room.value, items: items.filter((i) => i !== id) }, by);
  src.set('items', id, null, by);
  return { ok: true, message: `${String(item.value.name ?? id)} (${id}) is destroyed.`, unplace: id };
}

/** `@destroy <room>`: a room other than this one and the start, its exits and the ways into it. */
export function destroyRoom(src: WorldSource, by: string, here: string, id: string, start: string): BuildResult {
  const room = src.entry('rooms', id);
  if (!room) return refuse(`there is no room or item '${id}'`);
  if (id === here) return refuse('you are standing in it: go elsewhere first');
  if (id === start) return refuse(`${id} is the start room`);
  if (listOf(room.value.items).length) return refuse(`things start in ${id} (${listOf(room.value.items).join(', ')}): destroy them there first`);
  const doors = new Set(Object.values(exitsOf(room)).map((e) => exitTarget(e)?.door).filter((d): d is string => !!d));
  for (const [other, entry] of src.all('rooms')) {
    const exits = exitsOf(entry);
    const into = Object.keys(exits).filter((d) => exitTarget(exits[d])?.to === id);
    if (!into.length || other === id) continue;
    for (const d of into) {
      const door = exitTarget(exits[d])?.door;
      if (door) doors.add(door);
      delete exits[d];
    }
    src.set('rooms', other, { ...entry.value, exits }, by);
  }
  src.set('rooms', id, null, by);
  for (const door of doors) if (!doorStillUsed(src, door)) src.set('items', door, null, by);
  for (const [areaId, area] of src.all('areas')) {
    const rooms = listOf(area.value.rooms);
    if (rooms.includes(id)) src.set('areas', areaId, { ...area.value, rooms: rooms.filter((r) => r !== id) }, by);
  }
  return { ok: true, message: `Room ${id} is destroyed, with every way into it.` };
}
