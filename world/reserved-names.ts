import type { WorldDefinition } from './world-def.js';
import { COMMANDS } from './commands.js';
import { DIRECTIONS, DIRECTION_ALIASES } from './directions.js';

/** Words a player's name must not be: "look at bob" must not be ambiguous
 *  between a player and a thing, and "north" must stay a direction. */
const cache = new WeakMap<WorldDefinition, ReadonlySet<string>>();

/** Command words and aliases, directions, item keywords and the words of item and room names. */
export function reservedNames(world: WorldDefinition): ReadonlySet<string> {
  let names = cache.get(world);
  if (names) return names;
  const set = new Set<string>();
  const add = (text: string) => {
    for (const w of text.toLowerCase().split(/[^a-z]+/)) if (w.length >= 3) set.add(w);
  };
  for (const c of COMMANDS) [c.name, ...(c.aliases ?? [])].forEach(add);
  [...DIRECTIONS, ...Object.keys(DIRECTION_ALIASES)].forEach(add);
  for (const item of Object.values(world.items)) [item.name, ...item.keywords].forEach(add);
  for (const room of Object.values(world.rooms)) add(room.name);
  names = set;
  cache.set(world, names);
  return names;
}
