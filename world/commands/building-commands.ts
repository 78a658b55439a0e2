import type { CommandSpec } from './commands.js';

// The wizards' building commands (bin/building.ts runs them): their words and help.
// They change the live world at once, on every gateway; `@save` writes the changes
// into the world files (docs/WORLD-FILES.md, "Building in the game").

const wizard = (name: string, usage: string, help: string): CommandSpec => ({ name, usage, help, scope: 'session', wizard: true });

export const BUILDING_COMMANDS: readonly CommandSpec[] = [
  wizard('@dig', '@dig <direction> <room id> [name]', 'Dig a new room that way, with the way back, in this room\'s area and file: @dig north north_tower The North Tower.'),
  wizard('@open', '@open <direction> <room id> [door <door id>]', 'Open an exit to a room that exists, and the way back when that way is free there; "door <id>" puts a new door on both: @open east armory door armory_gate.'),
  wizard('@close', '@close <direction>', 'Close (remove) the exit that way, the way back if it leads here, and its door if it stands on no other exit.'),
  wizard('@create', '@create <kind> <item id> [name]', 'Make an item of a kind (item, key, container, weapon, magic_weapon, armor, npc) lying here: @create weapon rusty_axe a rusty axe.'),
  wizard('@name', '@name <here | item id> <name>', 'Rename this room (here) or an item: @name rusty_axe a notched axe.'),
  wizard('@desc', '@desc <here | item id> <text>', 'Describe this room (here) or an item; \\n starts a new line: @desc here A bare cell.'),
  wizard('@keywords', '@keywords <item id> <word> [word ...]', 'The words players can call an item by: @keywords rusty_axe axe rusty.'),
  wizard('@extra', '@extra <word>[, word ...] = <text>', 'Scenery here that players can look at (one word must be in the room\'s description); "@extra <word>" alone removes it.'),
  wizard('@script', '@script', 'Edit this room\'s script in a line editor (.l lists, .s saves, .q quits). Saved only if nobody changed the script meanwhile.'),
  wizard('@destroy', '@destroy <item id | room id>', 'Destroy an item that starts in this room (and lies here), or another room with nothing in it (the ways into it go too).'),
  wizard('@build', '@build', 'What is built and not saved yet, and by whom.'),
  wizard('@save', '@save', 'Write what was built into the world files, after the world checker passes it (refused with its errors otherwise); comments and untouched entries are kept.'),
];
