import type { Json } from '../core/types.js';
import { DIRECTIONS, DIRECTION_ALIASES, directionOf } from './directions.js';
import type { Target } from './matching.js';
import { needTarget, parseDrop, parseGive, parseLook, parsePut, parseTake, parseWithKey, text, toPlayer } from './command-phrases.js';
import { HISTORY_LINES } from '../kinds/channel.js';
import { DESCRIPTION_LIMIT } from '../kinds/player.js';
import { ALIAS_LIMIT } from './alias-limit.js';
import { EXPLORE_COMMANDS } from './explore-commands.js';
import { EVERYDAY_COMMANDS, socialCommand } from './everyday-commands.js';
import { GROUP_COMMANDS } from './group-commands.js';
import { POSITION_HELP, PROMPT_HELP } from './health-help.js';
import { BUILDING_COMMANDS } from './building-commands.js';
import { COIN_COMMANDS, dropCoinsOr, giveCoinsOr, takeCoinsOr } from './coin-commands.js';
import { TRADE_COMMANDS } from './trade-commands.js';
import { MAIL_COMMANDS } from './mail-commands.js';

/** A command as the player object receives it (`verb` plus parsed arguments),
 *  or one the session answers itself (who, help, quit, wizard commands). */
export type Parsed =
  | { ok: true; scope: 'world'; command: { verb: string; [field: string]: Json } }
  | { ok: true; scope: 'session'; verb: string; rest: string }
  | { ok: false; error: string };

export interface CommandSpec {
  name: string;
  aliases?: string[];
  usage: string;
  help: string;
  scope: 'world' | 'session';
  wizard?: boolean;
  parse?: (rest: string) => { verb: string; [field: string]: Json } | string;
}

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'look', aliases: ['l'], usage: 'look [thing | in <container> | me]', scope: 'world',
    help: 'Look around the room, or at something or someone: look, look chest, look 2.sword, look north, look in chest, look me, look bob.', parse: parseLook },
  { name: 'examine', aliases: ['x', 'ex', 'exa'], usage: 'examine <thing>', scope: 'world', help: 'Look closely at something: its condition, what is inside.', parse: needTarget('look', 'Examine what?') },
  { name: 'go', usage: 'go <direction>', scope: 'world', help: `Walk through an exit. You can also just type the direction: ${DIRECTIONS.join(', ')} (or n, s, e, w, ne, nw, se, sw, u, d).`,
    parse: (rest) => direction(rest.trim().toLowerCase()) ?? 'Go where?' },
  ...DIRECTIONS.map((d): CommandSpec => ({ name: d, usage: d, scope: 'world', help: `Walk ${d}.`, parse: () => ({ verb: 'go', dir: d }),
    aliases: Object.entries(DIRECTION_ALIASES).filter(([, full]) => full === d).map(([a]) => a) })),
  { name: 'take', aliases: ['get'], usage: 'take <thing | all | all.thing> [from <container>]', scope: 'world', help: 'Pick something up, or take it out of a container: take sword, take 2.sword from chest, get all, get all.apple, get all from chest, get all.sword from chest, get coins.', parse: takeCoinsOr(parseTake) },
  { name: 'drop', aliases: ['dr'], usage: 'drop <thing | all | all.thing>', scope: 'world', help: 'Put down something you carry, everything, or everything a word names: drop apple, drop all, drop all.apple, drop 10 coins.', parse: dropCoinsOr(parseDrop) },
  { name: 'give', usage: 'give <thing | all | all.thing> to <someone>', scope: 'world', help: 'Hand something you carry to someone here: give apple to bob, give all.apple to bob, give 10 coins to bob. "give all" keeps what you wield.', parse: giveCoinsOr(parseGive) },
  { name: 'put', usage: 'put <thing | all | all.thing> in <container>', scope: 'world', help: 'Put something you carry into a container: put sword in chest, put all.apple in chest, put all in chest (all but what you wield).', parse: parsePut },
  { name: 'open', usage: 'open <container>', scope: 'world', help: 'Open a container.', parse: needTarget('open', 'Open what?') },
  { name: 'close', usage: 'close <container>', scope: 'world', help: 'Close a container.', parse: needTarget('close', 'Close what?') },
  { name: 'unlock', usage: 'unlock <container> [with <key>]', scope: 'world', help: 'Unlock a container with a key you carry: unlock box, unlock box with brass key.', parse: parseWithKey('unlock', 'Unlock what?') },
  { name: 'lock', usage: 'lock <container> [with <key>]', scope: 'world', help: 'Lock a closed container with a key you carry: lock box with key.', parse: parseWithKey('lock', 'Lock what?') },
  { name: 'inventory', aliases: ['i', 'inv'], usage: 'inventory', scope: 'world', help: 'List what you carry.', parse: () => ({ verb: 'inventory' }) },
  // `wi` stays wield's, as it was before `wimpy` (and is in Diku MUDs).
  { name: 'wield', aliases: ['wi'], usage: 'wield <weapon>', scope: 'world', help: 'Take a weapon you carry in hand. Some weapons have a will of their own.', parse: needTarget('wield', 'Wield what?') },
  { name: 'wear', usage: 'wear <armour>', scope: 'world', help: 'Put on armour you carry, in its place (head, body, hands, feet, shield, ...): it turns aside part of every blow.', parse: needTarget('wear', 'Wear what?') },
  { name: 'remove', aliases: ['rem'], usage: 'remove <armour>', scope: 'world', help: 'Take off something you wear (you still carry it).', parse: needTarget('remove', 'Remove what?') },
  { name: 'equipment', aliases: ['eq'], usage: 'equipment', scope: 'world', help: 'What you wear, where, and what you wield; how much damage your armour turns aside.', parse: () => ({ verb: 'equipment' }) },
  { name: 'unwield', usage: 'unwield', scope: 'world', help: 'Put away the weapon in your hand.', parse: () => ({ verb: 'unwield' }) },
  { name: 'say', aliases: ["'", 'sa'], usage: 'say <words>', scope: 'world', help: "Say something to everyone in the room. Shortcut: 'hello", parse: text('say', 'Say what?') },
  { name: 'emote', aliases: [':'], usage: 'emote <action>', scope: 'world', help: 'Act something out: emote waves. Shortcut: :waves', parse: text('emote', 'Emote what?') },
  { name: 'describe', usage: 'describe <text>', scope: 'world', help: `Set what others see when they look at you (up to ${DESCRIPTION_LIMIT} characters): describe A tall figure in a grey cloak.`, parse: text('describe', 'Describe yourself how?') },
  { name: 'tell', usage: 'tell <player> <words>', scope: 'world', help: 'Say something to one player, wherever they are: tell bob meet me at the fountain.', parse: toPlayer('tell', 'Tell whom what?') },
  { name: 'reply', aliases: ['r'], usage: 'reply <words>', scope: 'world', help: 'Answer the last player who sent you a tell: reply on my way.', parse: text('reply', 'Reply what?') },
  { name: 'whisper', usage: 'whisper <player> <words>', scope: 'world', help: 'Say something to one player in the room; the others see that you whisper, not what: whisper bob the key is in the library.', parse: toPlayer('whisper', 'Whisper what to whom?') },
  { name: 'shout', usage: 'shout <words>', scope: 'world', help: 'Call out to everyone in this area, not just this room: shout has anyone seen my cat?', parse: text('shout', 'Shout what?') },
  { name: 'chat', usage: 'chat <words> | chat on | chat off', scope: 'session', help: 'The global channel: every player online who listens hears it. "chat off" stops hearing it (kept with your character), "chat on" starts again, "history chat" shows the last lines.' },
  { name: 'history', usage: 'history chat', scope: 'world', help: `The last lines said on a channel (up to ${HISTORY_LINES} are kept): history chat.`,
    parse: (rest) => (rest.trim().toLowerCase() === 'chat' ? { verb: 'history', channel: 'chat' } : 'History of which channel? There is one: chat.') },
  ...MAIL_COMMANDS,
  { name: 'afk', usage: 'afk [<message>]', scope: 'world',
    help: 'Step away from the keyboard: who shows "(afk)", and a tell to you is answered with your message (you still get it). Whatever you type next brings you back: afk making tea.',
    parse: (rest) => ({ verb: 'afk', text: rest.trim().slice(0, 120) }) },
  { name: 'ignore', usage: 'ignore [player]', scope: 'session',
    help: 'Stop a player\'s words reaching you: their says, emotes, socials, whispers, tells, shouts, chat and group talk. A tell or whisper from them is refused, and they are told so. Kept with your character (up to 50); "ignore" lists them.' },
  { name: 'unignore', usage: 'unignore <player>', scope: 'session', help: 'Hear a player you ignored again: unignore bob.' },
  { name: 'attack', aliases: ['kill', 'k'], usage: 'attack <creature>', scope: 'world',
    help: 'Fight a creature with the weapon you wield (or your fists): a blow every two seconds until one of you falls or you flee. Its damage and condition matter; a magic blade spends a charge per blow.',
    parse: needTarget('attack', 'Attack what?') },
  { name: 'consider', aliases: ['con'], usage: 'consider <creature>', scope: 'world', help: 'Weigh a creature against yourself before a fight: your hit points and blow against its own.', parse: needTarget('consider', 'Consider what?') },
  { name: 'flee', usage: 'flee', scope: 'world', help: 'Run from a fight through a random exit: the one way out of a fight, as walking off mid-fight is refused.', parse: () => ({ verb: 'flee' }) },
  { name: 'wimpy', usage: 'wimpy [<hit points> | off]', scope: 'world',
    help: 'Flee on your own when a blow leaves you with this many hit points or fewer (at most half of them): wimpy 20. It runs for you when your connection drops mid-fight too. "wimpy off" fights on; "wimpy" shows it.',
    parse: parseWimpy },
  { name: 'quests', aliases: ['quest', 'journal'], usage: 'quests', scope: 'world', help: 'Your journal: the quests the locals gave you, where each stands, and those you finished.', parse: () => ({ verb: 'quests' }) },
  { name: 'score', aliases: ['sc', 'vitals'], usage: 'score', scope: 'world', help: 'Your hit points, level and experience, weapon and fight.', parse: () => ({ verb: 'score' }) },
  ...EXPLORE_COMMANDS,
  ...COIN_COMMANDS,
  ...TRADE_COMMANDS,
  ...EVERYDAY_COMMANDS,
  ...GROUP_COMMANDS,
  ...(['rest', 'stand', 'sleep', 'wake'] as const).map((verb): CommandSpec => ({ name: verb, usage: verb, scope: 'world', help: POSITION_HELP[verb], parse: () => ({ verb }) })),
  { name: 'prompt', usage: 'prompt [<format> | default]', scope: 'session', help: PROMPT_HELP },
  { name: 'who', usage: 'who', scope: 'session', help: 'List the players online and where they are.' },
  { name: 'help', usage: 'help [command]', scope: 'session', help: 'List the commands, or explain one: help take.' },
  { name: 'config', usage: 'config [color auto|on|off|256] [screenreader auto|on|off] [wrap auto|off] [chat on|off] [prompt auto|always|commands]', scope: 'session',
    help: 'Show or change how text looks: colour (auto follows what your client says it can do), screen reader mode (no art, short prompts), wrapping. Kept with your character.' },
  { name: 'alias', usage: 'alias | alias <word> [=] <command> | alias <word>', scope: 'session',
    help: `Your own shorthands, kept with your character (up to ${ALIAS_LIMIT}): "alias gs = get sword from chest", then "gs" (the "=" may be left out). Words after an alias are added to it: "alias tb = tell bob", then "tb hello". "alias" lists them.` },
  { name: 'unalias', usage: 'unalias <word>', scope: 'session', help: 'Forget one of your aliases: unalias gs.' },
  { name: 'password', usage: 'password', scope: 'session', help: 'Change your password: you are asked for the current one, then the new one twice (hidden as you type where your client allows).' },
  { name: 'save', usage: 'save', scope: 'session', help: 'Saving is automatic: every change to your character is kept as it happens.' },
  { name: 'quit', usage: 'quit', scope: 'session', help: 'Save and leave the game.' },
  { name: '@reload', usage: '@reload', scope: 'session', wizard: true, help: 'Re-read the world files. Players stay connected and keep what they carry; a broken world is refused with the errors.' },
  { name: '@dispatch', usage: '@dispatch [mode | kind=mode,... | ref=mode]', scope: 'session', wizard: true, help: 'Show or switch where turns run: in-process, actor or function; per kind (room=function,default=actor) or per object (room/mystical_plaza=function).' },
  { name: '@shutdown', usage: '@shutdown', scope: 'session', wizard: true, help: 'Save everything and stop the server.' },
  { name: '@upgrade', usage: '@upgrade', scope: 'session', wizard: true, help: 'Start the server anew from the code on disk, handing every connection over: players see one line and keep playing. A successor that fails to start leaves this one serving, and you are told why.' },
  ...BUILDING_COMMANDS,
];

function direction(word: string): { verb: string; dir: string } | undefined {
  const dir = directionOf(word);
  return dir ? { verb: 'go', dir } : undefined;
}

/** The commands a player (or a wizard) may type, and each by its exact name or alias (the first in the list
 *  to claim a word), built once: every typed line looks one up. */
class CommandIndex {
  readonly visible: readonly CommandSpec[];
  private readonly byWord = new Map<string, CommandSpec>();

  constructor(wizard: boolean) {
    this.visible = COMMANDS.filter((c) => wizard || !c.wizard);
    for (const c of this.visible) {
      for (const word of [c.name, ...(c.aliases ?? [])]) if (!this.byWord.has(word)) this.byWord.set(word, c);
    }
  }

  exact(word: string): CommandSpec | undefined {
    return this.byWord.get(word);
  }
}
const PLAYER_COMMANDS = new CommandIndex(false);
const WIZARD_COMMANDS = new CommandIndex(true);

/** Finds a command by exact name or alias, then by unambiguous prefix. */
export function lookupCommand(word: string, wizard: boolean): CommandSpec | { ambiguous: string[] } | undefined {
  const index = wizard ? WIZARD_COMMANDS : PLAYER_COMMANDS;
  const exact = index.exact(word);
  if (exact) return exact;
  const prefixed = index.visible.filter((c) => c.name.startsWith(word));
  if (prefixed.length === 1) return prefixed[0];
  return prefixed.length > 1 ? { ambiguous: prefixed.map((c) => c.name) } : undefined;
}

/** A command's own name or alias (not a prefix of one). */
export function isCommandWord(word: string): boolean {
  return WIZARD_COMMANDS.exact(word) !== undefined;
}

function parseWimpy(rest: string): { verb: string; hp?: number } | string {
  const word = rest.trim().toLowerCase();
  if (!word) return { verb: 'wimpy' };
  if (word === 'off') return { verb: 'wimpy', hp: 0 };
  return /^\d{1,6}$/.test(word) ? { verb: 'wimpy', hp: Number(word) } : 'Wimpy at how many hit points? A number, or "off".';
}

/** Parses one input line. `'hi` and `:waves` need no space after the shortcut.
 *  `socials` is the world's table (world/commands/socials.ts): a social's word counts
 *  after a command's own names, before the prefixes of commands. */
export function parseCommand(line: string, wizard = false, socials?: Readonly<Record<string, unknown>>): Parsed {
  const trimmed = line.trim();
  const shortcut = /^(['":])(.*)$/.exec(trimmed);
  const [word, rest] = shortcut ? [shortcut[1] === '"' ? "'" : shortcut[1], shortcut[2]] : splitWord(trimmed);
  const lower = word.toLowerCase();
  if (socials && Object.hasOwn(socials, lower) && !isCommandWord(lower)) {
    const social = socialCommand(lower, rest);
    return typeof social === 'string' ? { ok: false, error: social } : { ok: true, scope: 'world', command: social };
  }
  const spec = lookupCommand(lower, wizard);
  if (!spec) return { ok: false, error: `Unknown command "${word}". Type "help" for a list of commands.` };
  if ('ambiguous' in spec) return { ok: false, error: `"${word}" could mean: ${spec.ambiguous.join(', ')}. Type more of it.` };
  if (spec.scope === 'session') return { ok: true, scope: 'session', verb: spec.name, rest: rest.trim() };
  const parsed = spec.parse!(rest);
  if (typeof parsed === 'string') return { ok: false, error: `${parsed} (usage: ${spec.usage})` };
  return { ok: true, scope: 'world', command: parsed };
}

function splitWord(line: string): [string, string] {
  const space = line.search(/\s/);
  return space < 0 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)];
}

/** `help` and `help <command>`: the text lives beside each command above. */
export function helpText(topic: string, wizard: boolean): string {
  if (!topic) {
    const names = COMMANDS.filter((c) => (wizard || !c.wizard) && !(DIRECTIONS as readonly string[]).includes(c.name));
    return `Commands: ${names.map((c) => c.name).join(', ')}.\nDirections: ${DIRECTIONS.join(', ')} (n, s, e, w, ne, nw, se, sw, u, d).\nType "help <command>" for more.`;
  }
  const spec = lookupCommand(topic.toLowerCase(), wizard);
  if (!spec) return `There is no command "${topic}".`;
  if ('ambiguous' in spec) return `"${topic}" could mean: ${spec.ambiguous.join(', ')}.`;
  // Punctuation shortcuts (' for say) are explained in the help text itself.
  const words = spec.aliases?.filter((a) => /^[a-z]/.test(a)) ?? [];
  const aliases = words.length ? `\nAlso: ${words.join(', ')}` : '';
  return `${spec.usage}\n${spec.help}${aliases}`;
}

export type { Target };
