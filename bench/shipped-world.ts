// The shipped default world as the benchmarks use it: as it ships, or a copy
// with only the plaza's `script:` line removed (what the plaza's script costs),
// and the rooms bots can live in: each with a way out and straight back, and
// the walk to it from the start room.

import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_WORLD } from '../support/paths.js';
import { loadWorld } from '../world/files/world-loader.js';
import { formatWorldError } from '../world/files/world-def.js';
import { RESULTS_DIR } from './bench-world.js';
import type { OutAndBack } from './closed-loop.js';

export const PLAZA = 'room/mystical_plaza';
/** Where the plaza's script is attached, and the one line the scriptless copy drops. */
export const PLAZA_FILE = join('rooms', 'plaza.yaml');
export const PLAZA_SCRIPT_LINE = '    script: ../scripts/mystical_plaza.js\n';

/** A copy of the default world without the plaza's script (every other script and creature kept),
 *  written afresh from the shipped files each time, so it never drifts from them. */
export async function scriptlessWorldDir(): Promise<string> {
  const dir = join(RESULTS_DIR, 'worlds', 'default-scriptless');
  await rm(dir, { recursive: true, force: true });
  await cp(DEFAULT_WORLD, dir, { recursive: true });
  const file = join(dir, PLAZA_FILE);
  const text = await readFile(file, 'utf8');
  if (text.split(PLAZA_SCRIPT_LINE).length !== 2) {
    throw new Error(`${join(DEFAULT_WORLD, PLAZA_FILE)} no longer has exactly one "${PLAZA_SCRIPT_LINE.trim()}" line: update bench/shipped-world.ts`);
  }
  await writeFile(file, text.replace(PLAZA_SCRIPT_LINE, ''));
  return dir;
}

/** A room a bot lives in: the walk there from the start room, and its way out and back. */
export interface Home extends OutAndBack {
  room: string;
  path: string[];
}

/** The hot room's bots (issue 29's workload): in the plaza, out east to the armory and back west,
 *  so the plaza's `exit` and `enter` hooks run once each per four commands. */
export const PLAZA_HOME: Home = { room: PLAZA, path: [], out: 'east', back: 'west' };

/** Every room reachable from the start that has an exit whose room leads straight back
 *  (its first such exit), in breadth-first order from the start room. */
export async function homesOf(worldDir: string): Promise<Home[]> {
  const loaded = await loadWorld(worldDir);
  if (!loaded.ok) throw new Error(`world ${worldDir}: ${loaded.errors.map(formatWorldError).join('; ')}`);
  const { rooms, startRoom } = loaded.world;
  const homes: Home[] = [];
  const paths = new Map<string, string[]>([[startRoom, []]]);
  for (const [room, path] of paths) {
    const exits = Object.entries(rooms[room]?.exits ?? {});
    const way = exits.map(([out, to]) => ({ out, back: Object.entries(rooms[to]?.exits ?? {}).find(([, r]) => r === room)?.[0] })).find((w) => w.back);
    if (way?.back) homes.push({ room, path, out: way.out, back: way.back });
    for (const [dir, to] of exits) if (!paths.has(to) && rooms[to]) paths.set(to, [...path, dir]);
  }
  return homes;
}
