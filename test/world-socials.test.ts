// `mud world check` on what a world adds for everyday verbs: socials (a table a
// builder extends; each mistake named by file, line and column), things that can
// be eaten (they must start in a room), what a creature accepts; and how a
// social's word is parsed beside the commands.
import { afterEach, describe, expect, it } from 'vitest';
import { worldFiles } from './helpers/world-files.js';
import { parseCommand } from '../world/commands/commands.js';
import { emoteLine, socialLine } from '../world/commands/socials.js';

const files = worldFiles();
afterEach(() => files.cleanup());
const check = (f: Record<string, string>) => files.check(f);

const WORLD = 'world: { name: Verbs, start: hall }\nrooms:\n  hall:\n    name: The Hall\n    description: A hall.\n    items: [bread]\n';
const ITEMS = 'items:\n  bread:\n    kind: item\n    name: a loaf\n    description: Crusty.\n    eat: Warm.\n';

describe('world files - socials and uses', () => {
  it('socials - a world extends the table; files add to one another', async () => {
    const { world, errors } = await check({
      'world.yaml': WORLD + ITEMS,
      'a.yaml': 'socials:\n  nod:\n    you: You nod.\n    room: $n nods.\n    you_to: You nod to $N.\n    them: $n nods to you.\n    room_to: $n nods to $N.\n',
      'b.yaml': 'socials:\n  shrug:\n    you: You shrug.\n    room: $n shrugs.\n',
    });
    expect(errors).toEqual([]);
    expect(Object.keys(world!.socials!).sort()).toEqual(['nod', 'shrug']);
    expect(world!.items['item/bread'].props).toMatchObject({ eat: 'Warm.', home: 'room/hall' });
  });

  it('socials - a command\'s name, a name twice, a bad placeholder, half an aimed social, no room line', async () => {
    const { errors } = await check({
      'world.yaml': WORLD + ITEMS,
      'a.yaml': [
        'socials:',
        '  look:', '    you: You look.', '    room: $n looks.',
        '  nod:', '    you: You nod.', '    room: $n nods $x.',
        '  wave:', '    you: You wave.', '    room: $n waves.', '    you_to: You wave to $N.',
        '  sigh:', '    you: You sigh.',
        '  wave:', '    you: Again.', '    room: Again.', '',
      ].join('\n'),
    });
    expect(errors).toEqual([
      "a.yaml:2:3: social 'look' has the name of a command: players could never use it",
      "a.yaml:7:11: social 'nod': '$x' is not a placeholder ($n is the one who does it, $N the one it is aimed at)",
      "a.yaml:8:3: social 'wave' aimed at someone needs all of you_to, them, room_to (it has you_to)",
      "a.yaml:12:3: socials.sigh is missing required key 'room'",
      "a.yaml:14:3: duplicate key 'wave' in socials (first at line 8)",
    ]);
  });

  it('uses - what can be eaten starts in a room; what a creature accepts is an item', async () => {
    const items = ITEMS.replace('    eat: Warm.\n', '') + '  box:\n    kind: container\n    name: a box\n    description: Box.\n    contents: [cake]\n  cake:\n    kind: item\n    name: a cake\n    description: Cake.\n    eat: Sweet.\n  cat:\n    kind: npc\n    name: a cat\n    description: Cat.\n    hp: 3\n    accepts: [fish]\n';
    const { errors } = await check({ 'world.yaml': WORLD.replace('[bread]', '[bread, box, cat]') + items });
    expect(errors).toEqual([
      "world.yaml:17:3: item 'cake' can be eaten, so it must start lying in a room (an eaten one goes back there)",
      "world.yaml:22:3: creature 'cat' accepts unknown item 'fish'",
    ]);
  });

  it('parsing - a social\'s word after the commands\' own names, before their prefixes; aimed with or without "at"', () => {
    const socials = { nod: {}, look: {}, sm: {} };
    expect(parseCommand('nod', false, socials)).toEqual({ ok: true, scope: 'world', command: { verb: 'social', social: 'nod' } });
    expect(parseCommand('nod at 2.bob', false, socials)).toEqual({ ok: true, scope: 'world', command: { verb: 'social', social: 'nod', target: { words: ['bob'], n: 2 } } });
    expect(parseCommand('look bob', false, socials)).toMatchObject({ ok: true, command: { verb: 'look' } });
    expect(parseCommand('nod')).toEqual({ ok: false, error: 'Unknown command "nod". Type "help" for a list of commands.' });
    expect(parseCommand('give all to bob')).toEqual({ ok: true, scope: 'world', command: { verb: 'give', all: true, to: { words: ['bob'], n: 1 } } });
    expect(parseCommand('look at 2.sword')).toEqual({ ok: true, scope: 'world', command: { verb: 'look', target: { words: ['sword'], n: 2 } } });
    expect(parseCommand('ask old tamsin about the wyrm')).toEqual({ ok: true, scope: 'world', command: { verb: 'ask', target: { words: ['old', 'tamsin'], n: 1 }, topic: 'wyrm' } });
    expect(parseCommand('ask tamsin')).toEqual({ ok: false, error: 'Ask whom about what? (usage: ask <someone> about <topic>)' });
    expect(parseCommand('dr sword')).toMatchObject({ ok: true, command: { verb: 'drop' } });
  });

  it('lines - placeholders filled; an emote with a possessive or a comma takes no space', () => {
    expect(socialLine('$n bows before $N.', 'Alice', 'old Tamsin')).toBe('Alice bows before old Tamsin.');
    expect(emoteLine('Bertha', "'s eyes glow")).toBe("Bertha's eyes glow");
    expect(emoteLine('Bertha', ', smiling, waves')).toBe('Bertha, smiling, waves');
    expect(emoteLine('Bertha', 'waves')).toBe('Bertha waves');
  });
});
