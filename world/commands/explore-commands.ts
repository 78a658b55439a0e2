import type { CommandSpec } from './commands.js';

// The commands for finding one's way (issue 23): where each exit leads, a map of
// the rooms around, and who is about in this area.

export const EXPLORE_COMMANDS: readonly CommandSpec[] = [
  { name: 'exits', usage: 'exits', scope: 'world', help: 'Where each way out of this room leads, and the doors on them.', parse: () => ({ verb: 'exits' }) },
  { name: 'map', usage: 'map', scope: 'world', help: 'A small map of the rooms around you, drawn from their exits (@ is you).', parse: () => ({ verb: 'map' }) },
  { name: 'where', usage: 'where', scope: 'session', help: 'Who is about in this area, and in which room.' },
];
