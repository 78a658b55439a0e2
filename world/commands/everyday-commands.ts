import type { CommandSpec } from './commands.js';
import { needTarget, splitOn, type ParsedCommand } from './command-phrases.js';
import { parseTarget } from './matching.js';

// The everyday verbs of issue 23 beyond the first ones: things that can be read,
// eaten, drunk or used; asking a creature about something; the list of socials
// (the socials themselves are parsed from the world's table: `socialCommand`).

/** ask <someone> about <topic> */
function parseAsk(rest: string): ParsedCommand | string {
  const parts = splitOn(rest, ['about']);
  const target = parts && parseTarget(parts[0]);
  const topic = parts?.[1].trim().toLowerCase().replace(/^(the|a|an)\s+/, '');
  if (!target || !topic) return 'Ask whom about what?';
  if (topic.length > 60) return 'Ask about something shorter.';
  return { verb: 'ask', target, topic };
}

export const EVERYDAY_COMMANDS: readonly CommandSpec[] = [
  { name: 'read', usage: 'read <thing>', scope: 'world', help: 'Read what is written on something: read book, read sign.', parse: needTarget('read', 'Read what?') },
  { name: 'eat', usage: 'eat <thing>', scope: 'world', help: 'Eat something you carry: eat apple. What is eaten grows back where it came from.', parse: needTarget('eat', 'Eat what?') },
  { name: 'drink', usage: 'drink <thing>', scope: 'world', help: 'Drink from something here or in your hands: drink fountain.', parse: needTarget('drink', 'Drink from what?') },
  { name: 'use', usage: 'use <thing>', scope: 'world', help: 'Use something: what it does is up to the thing (a lever, a bell, a lantern).', parse: needTarget('use', 'Use what?') },
  { name: 'ask', usage: 'ask <someone> about <topic>', scope: 'world', help: 'Ask a creature about something: ask tamsin about lamp. Not everyone knows everything.', parse: parseAsk },
  { name: 'socials', usage: 'socials', scope: 'world', help: 'List the gestures you can make: smile, nod, bow, ... Most can be aimed at someone: nod bob.', parse: () => ({ verb: 'socials' }) },
];

/** A social typed as a command: `smile`, `nod bob`, `bow to tamsin`. */
export function socialCommand(word: string, rest: string): ParsedCommand | string {
  const aimed = rest.trim().replace(/^(at|to)\s+/i, '');
  if (!aimed) return { verb: 'social', social: word };
  const target = parseTarget(aimed);
  return target ? { verb: 'social', social: word, target } : `${word} at whom?`;
}
