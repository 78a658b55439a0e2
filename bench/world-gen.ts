// Generated worlds for the benchmarks, written as ordinary world files (YAML)
// so the server loads them the way it loads any world: a grid of rooms joined
// north/south/east/west, each holding a few plain items. The default world's
// plaza (with its script) is where parties happen; these are for spread-out
// load (`uniform`) and for size (`scale`).

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEEPER_SCRIPT, ROOM_SCRIPT } from './world-scripts.js';

export interface GridSpec {
  /** Rooms in the grid: width x height. */
  width: number;
  height: number;
  /** Plain items per room (each an instance of one of ITEM_NAMES). */
  itemsPerRoom: number;
  /** A creature in every room (a keeper); `scripted`: each room and each keeper with a
   *  script that reacts to say, enter and exit (world-scripts.ts). */
  keepers?: 'bare' | 'scripted';
}

/** Bumped when the files written change shape, so cached worlds are rewritten. */
const LAYOUT = 3;
const ITEM_NAMES = ['pebble', 'leaf', 'feather', 'acorn', 'button', 'coin', 'shell', 'twig', 'bead', 'thimble'];
/** Rooms per file, each file with its own items: the loader reads a file's
 *  definitions with one spread call (`push(...defs)`), which overflows the stack
 *  past about 120,000 definitions in one file. */
const ROOMS_PER_FILE = 5000;

export function roomId(x: number, y: number): string {
  return `g${x}_${y}`;
}

/** The grid for about `objects` objects: one room in ten, nine items per room. */
export function gridFor(objects: number): GridSpec {
  const rooms = Math.max(1, Math.round(objects / 10));
  const width = Math.max(1, Math.round(Math.sqrt(rooms)));
  return { width, height: Math.max(1, Math.round(rooms / width)), itemsPerRoom: 9 };
}

/** Writes the world into `dir` unless a finished copy of the same spec is there
 *  already (generated worlds are cached under bench/results/, which git ignores). */
export async function writeGridWorld(dir: string, spec: GridSpec): Promise<string> {
  const stamp = join(dir, '.spec.json');
  const wanted = JSON.stringify({ layout: LAYOUT, ...spec });
  if ((await readFile(stamp, 'utf8').catch(() => '')) === wanted) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'parts'), { recursive: true });
  await writeFile(join(dir, 'world.yaml'), `world:\n  name: Generated grid ${spec.width}x${spec.height}\n  start: ${roomId(0, 0)}\n`);
  if (spec.keepers === 'scripted') {
    await mkdir(join(dir, 'scripts'));
    await writeFile(join(dir, 'scripts', 'room.js'), ROOM_SCRIPT);
    await writeFile(join(dir, 'scripts', 'keeper.js'), KEEPER_SCRIPT);
  }
  const rooms = spec.width * spec.height;
  for (let first = 0, part = 0; first < rooms; first += ROOMS_PER_FILE, part++) {
    const end = Math.min(rooms, first + ROOMS_PER_FILE);
    await writeFile(join(dir, 'parts', `part${part}.yaml`), roomsYaml(spec, part, first, end) + itemsYaml(spec, part, end - first) + keepersYaml(spec, part, end - first));
  }
  await writeFile(stamp, wanted); // last: a half-written world is never mistaken for a finished one
  return dir;
}

function roomsYaml(spec: GridSpec, part: number, first: number, end: number): string {
  const out: string[] = ['rooms:'];
  for (let i = first; i < end; i++) {
    const x = i % spec.width;
    const y = Math.floor(i / spec.width);
    out.push(`  ${roomId(x, y)}:`, `    name: Grid room ${x},${y}`, '    description: A plain square room, one of many alike.');
    const exits = gridExits(spec, x, y);
    if (exits.length) out.push(`    exits: {${exits.join(', ')}}`);
    const items = [...roomItems(spec, part, i - first), ...(spec.keepers ? [`keeper_${part}.${i - first + 1}`] : [])];
    if (items.length) out.push(`    items: [${items.join(', ')}]`);
    if (spec.keepers === 'scripted') out.push('    script: ../scripts/room.js');
  }
  return `${out.join('\n')}\n`;
}

function gridExits(spec: GridSpec, x: number, y: number): string[] {
  const exits: string[] = [];
  if (y > 0) exits.push(`north: ${roomId(x, y - 1)}`);
  if (y < spec.height - 1) exits.push(`south: ${roomId(x, y + 1)}`);
  if (x < spec.width - 1) exits.push(`east: ${roomId(x + 1, y)}`);
  if (x > 0) exits.push(`west: ${roomId(x - 1, y)}`);
  return exits;
}

/** The n-th room of a part holds the next instances of the part's items, in
 *  turn: every instance is placed exactly once. */
function roomItems(spec: GridSpec, part: number, n: number): string[] {
  const ids: string[] = [];
  for (let k = 0; k < spec.itemsPerRoom; k++) {
    const slot = n * spec.itemsPerRoom + k;
    ids.push(`${ITEM_NAMES[slot % ITEM_NAMES.length]}_${part}.${Math.floor(slot / ITEM_NAMES.length) + 1}`);
  }
  return ids;
}

/** The items a part's rooms hold: one definition per name, with its instances. */
function itemsYaml(spec: GridSpec, part: number, rooms: number): string {
  const total = rooms * spec.itemsPerRoom;
  const out: string[] = ['items:'];
  ITEM_NAMES.forEach((name, k) => {
    const instances = Math.floor(total / ITEM_NAMES.length) + (k < total % ITEM_NAMES.length ? 1 : 0);
    if (instances === 0) return;
    out.push(`  ${name}_${part}:`, '    kind: item', `    name: a small ${name}`, `    keywords: [${name}]`,
      `    description: An ordinary ${name}, much like the others.`, '    instances:');
    for (let i = 0; i < instances; i++) out.push('      - {}');
  });
  return out.length > 1 ? `${out.join('\n')}\n` : '';
}

/** One keeper creature per room of a part (instance n in its n-th room), with or without its script. */
function keepersYaml(spec: GridSpec, part: number, rooms: number): string {
  if (!spec.keepers) return '';
  const out = [
    `  keeper_${part}:`, '    kind: npc', '    name: a room keeper', '    keywords: [keeper]',
    '    description: A patient figure who looks after this room.', '    hp: 30', '    damage: 0',
    ...(spec.keepers === 'scripted' ? ['    script: ../scripts/keeper.js'] : []), '    instances:',
  ];
  for (let i = 0; i < rooms; i++) out.push('      - {}');
  return `${spec.itemsPerRoom > 0 ? '' : 'items:\n'}${out.join('\n')}\n`;
}
