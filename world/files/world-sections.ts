import { isMap, isScalar, Scalar } from 'yaml';
import type { Ref, RoomDef } from '../core/types.js';
import { markupProblem } from '../core/builder-markup.js';
import { ID_PATTERN, type Field, type Spot, type YamlReader } from './world-schema.js';
import { DEFAULT_AREA } from '../core/area.js';
import { readRespawn, type RespawnDraft } from './world-areas.js';
import { readExtras } from './world-extras.js';

// Reads the `world` and `rooms` sections of one file into drafts: definitions
// plus where each reference was written, so the cross-file checks that come
// later (world-links.ts) can still point at the line to fix.

export const DIRECTIONS = [
  'north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast', 'southwest', 'up', 'down', 'in', 'out',
] as const;

/** An item instance id as placement lists write it: `chest`, `sword.2`. */
export const INSTANCE_ID_PATTERN = /^[a-z0-9_]+(\.[1-9][0-9]*)?$/;

/** A builder script as written: a path to a .js file, or an inline `|` block. */
export interface ScriptDraft {
  spot: Spot;
  inline: boolean;
  /** The path (relative to the yaml file) or the code. */
  text: string;
  /** Inline only: the file line the code starts on, and the indentation YAML stripped. */
  line: number;
  indent: number;
}

/** "this instance id is placed here": a room's `items` entry or a container's `contents` entry. */
export interface Placement {
  id: string;
  spot: Spot;
  owner: Ref;
}

export interface RoomDraft {
  def: RoomDef;
  spot: Spot;
  exits: ExitDraft[];
  placements: Placement[];
  script?: ScriptDraft;
}

/** One exit as written: `north: library`, or `north: { to: library, door: oak_door }`. */
export interface ExitDraft {
  dir: string;
  target: string;
  spot: Spot;
  /** The id of the door on it, and where that was written (checked in world/files/world-doors.ts). */
  door?: string;
  doorSpot?: Spot;
}

export interface WorldSectionDraft {
  spot: Spot;
  name?: string;
  start?: string;
  startSpot?: Spot;
  /** The respawn pace of the rooms outside every area. */
  respawn?: RespawnDraft;
}

export function readWorldSection(r: YamlReader, f: Field): WorldSectionDraft {
  const fields = r.fields(f, ['name', 'start', 'respawn'], ['name', 'start']);
  const draft: WorldSectionDraft = { spot: f.spot };
  if (fields?.respawn) draft.respawn = readRespawn(r, fields.respawn);
  if (fields?.name) draft.name = r.string(fields.name)?.trim();
  if (fields?.start) {
    draft.start = r.id(fields.start);
    draft.startSpot = fields.start.spot;
  }
  return draft;
}

export function readRooms(r: YamlReader, f: Field): RoomDraft[] {
  const rooms: RoomDraft[] = [];
  for (const { key, keySpot, value } of r.entries(f) ?? []) {
    if (!ID_PATTERN.test(key)) {
      r.fail(keySpot, `invalid room id '${key}' (use lowercase letters, digits and _)`);
      continue;
    }
    const room = readRoom(r, key, keySpot, value);
    if (room) rooms.push(room);
  }
  return rooms;
}

const ROOM_KEYS = ['name', 'description', 'exits', 'items', 'extras', 'environment', 'script'] as const;

function readRoom(r: YamlReader, id: string, spot: Spot, f: Field): RoomDraft | undefined {
  const fields = r.fields(f, ROOM_KEYS, ['name', 'description']);
  if (!fields) return undefined;
  const ref = `room/${id}`;
  const name = fields.name && r.string(fields.name)?.trim();
  const description = fields.description && r.string(fields.description)?.trimEnd();
  const markup = description && markupProblem(description);
  if (markup) r.fail(fields.description!, `description of room '${id}': ${markup}`);
  const exits = fields.exits ? readExits(r, fields.exits) : [];
  const placements = fields.items ? readPlacements(r, fields.items, ref) : [];
  const script = fields.script ? readScript(r, fields.script) : undefined;
  const def: RoomDef = {
    kind: 'room',
    ref,
    id,
    name: name ?? id,
    description: description ?? '',
    exits: Object.fromEntries(exits.map((e) => [e.dir, `room/${e.target}`])),
    items: placements.map((p) => `item/${p.id}`),
    area: DEFAULT_AREA, // settled once every file's areas are read (world/files/world-areas.ts)
  };
  const doors = exits.filter((e) => e.door);
  if (doors.length) def.doors = Object.fromEntries(doors.map((e) => [e.dir, `item/${e.door}`]));
  const extras = fields.extras ? readExtras(r, fields.extras, id, def.description) : [];
  if (extras.length) def.extras = extras;
  const environment = fields.environment && r.id(fields.environment);
  if (environment) def.environment = environment;
  return { def, spot, exits, placements, script };
}

function readExits(r: YamlReader, f: Field): RoomDraft['exits'] {
  const exits: RoomDraft['exits'] = [];
  for (const { key, keySpot, value } of r.entries(f) ?? []) {
    if (!(DIRECTIONS as readonly string[]).includes(key)) {
      r.fail(keySpot, `unknown direction '${key}' in ${f.path} (expected one of: ${DIRECTIONS.join(', ')})`);
      continue;
    }
    const exit = isMap(value.node) ? readDoorExit(r, key, value) : { dir: key, target: r.id(value), spot: value.spot };
    if (exit?.target) exits.push(exit as ExitDraft);
  }
  return exits;
}

/** `north: { to: library, door: oak_door }`: an exit with a door on it. */
function readDoorExit(r: YamlReader, dir: string, f: Field): Partial<ExitDraft> | undefined {
  const fields = r.fields(f, ['to', 'door'], ['to']);
  if (!fields?.to) return undefined;
  const exit: Partial<ExitDraft> = { dir, target: r.id(fields.to), spot: fields.to.spot };
  if (fields.door) {
    exit.door = r.id(fields.door);
    exit.doorSpot = fields.door.spot;
  }
  return exit;
}

/** A list of item instance ids: a room's `items` or a container's `contents`. */
export function readPlacements(r: YamlReader, f: Field, owner: Ref): Placement[] {
  const placements: Placement[] = [];
  for (const entry of r.list(f) ?? []) {
    const id = r.id(entry, INSTANCE_ID_PATTERN);
    if (id) placements.push({ id, spot: entry.spot, owner });
  }
  return placements;
}

/** `script: scripts/x.js` names a file; `script: |` holds the code inline. Other
 *  block styles would fold or move lines, and error lines would no longer match. */
export function readScript(r: YamlReader, f: Field): ScriptDraft | undefined {
  const node = f.node;
  if (isScalar(node) && node.type === Scalar.BLOCK_LITERAL && typeof node.value === 'string') {
    const header = r.spotAt(node.range?.[0]).line;
    return { spot: f.spot, inline: true, text: node.value, line: header + 1, indent: blockIndent(r.text, node.range?.[0] ?? 0) };
  }
  const value = r.string(f);
  if (value === undefined) return undefined;
  if (value.includes('\n') || !value.endsWith('.js')) {
    return r.fail(f, `${f.path} must be a path to a .js file or an inline literal block (script: |)`);
  }
  return { spot: f.spot, inline: false, text: value, line: 1, indent: 0 };
}

/** The indentation of a block scalar's first non-blank content line. */
function blockIndent(text: string, headerOffset: number): number {
  const start = text.indexOf('\n', headerOffset) + 1;
  const match = /^(?:[ \t]*\r?\n)*( *)\S/.exec(text.slice(start));
  return match ? match[1].length : 0;
}
