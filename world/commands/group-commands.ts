import type { CommandSpec } from './commands.js';
import type { ParsedCommand } from './command-phrases.js';
import { text } from './command-phrases.js';
import { parseTarget } from './matching.js';

// The commands for travelling together (world/kinds/player-group.ts).

const maybeTarget = (verb: string) => (rest: string): ParsedCommand => {
  const target = parseTarget(rest);
  return target ? { verb, target } : { verb };
};

export const GROUP_COMMANDS: readonly CommandSpec[] = [
  { name: 'follow', usage: 'follow <player> | follow me', scope: 'world', help: 'Walk wherever a player here walks (through doors too); "follow me" stops.', parse: maybeTarget('follow') },
  { name: 'group', usage: 'group [<follower>]', scope: 'world', help: 'List your group, or add someone who follows you to it: group bob. A group shares gtell and experience.', parse: maybeTarget('group') },
  { name: 'ungroup', usage: 'ungroup [<member>]', scope: 'world', help: 'Leave your group; its leader removes one member (ungroup bob) or disbands it (ungroup).', parse: maybeTarget('ungroup') },
  { name: 'gtell', aliases: ['gt'], usage: 'gtell <words>', scope: 'world', help: 'Say something to everyone in your group, wherever they are: gtell wait for me.', parse: text('gtell', 'Tell your group what?') },
];
