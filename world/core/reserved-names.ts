import type { WorldDefinition } from '../files/world-def.js';
import { COMMANDS } from '../commands/commands.js';
import { DIRECTIONS, DIRECTION_ALIASES } from '../commands/directions.js';

/** Words of the interface itself, never a character's name: the login's and the
 *  game's own words, and the subjects the game speaks with ("You see...",
 *  "Someone says...", "Everyone hears..."), so that an emote by "You" or
 *  "Someone" cannot pass for the game speaking (issue 25, item 8). Lower case. */
export const INTERFACE_WORDS: ReadonlySet<string> = new Set([
  'connect', 'create', 'quit', 'who', 'help', 'new', 'guest',
  'you', 'your', 'yours', 'yourself', 'yourselves',
  'someone', 'somebody', 'something', 'everyone', 'everybody', 'everything', 'anyone', 'anybody', 'anything',
  'nobody', 'noone', 'nothing', 'none', 'all', 'each', 'self', 'myself', 'here', 'there',
  'admin', 'administrator', 'wizard', 'god', 'staff', 'moderator', 'server', 'system', 'game', 'world',
  'info', 'notice', 'warning', 'error', 'announcement', 'narrator',
  // `mail delete 2` throws a letter away: never a letter to someone called Delete.
  'delete',
]);

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
