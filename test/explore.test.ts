// Finding one's way in every dispatch mode: `exits` (with the doors on them),
// `map`, doors that stop a walker while shut and are shut for both sides at
// once, and the scenery of a room's description (`look yew`). The same lines
// whether turns run in-process, as homed actors or as stateless functions.
import { describe, expect, it } from 'vitest';
import { expectSameInOtherModes, modeTranscript } from './helpers/mode-transcript.js';

const SCRIPT: Array<[string, string]> = [
  ['alice', 'exits'], ['alice', 'map'], ['alice', 'close door'], ['bob', 'look'], ['bob', 'east'], ['bob', 'exits'],
  ['bob', 'look door'], ['alice', 'lock east'], ['bob', 'open east'], ['bob', 'east'], ['bob', 'close west'],
  ['alice', 'east'], ['alice', 'open door'], ['alice', 'east'], ['alice', 'west'], ['bob', 'west'], ['bob', 'south'], ['bob', 'look yew'],
  ['bob', 'look at the moon'], ['bob', 'look 2.yew'], ['bob', 'look tree'], ['bob', 'open north'], ['bob', 'lock up'],
];


const PLAZA_EXITS = 'Obvious exits:\n  north  The Old Library\n  east   The Old Armory (through a heavy oak door, open)\n  west   The Lantern Market\n  south  The Moonlit Garden';
const MAP = [
  '         [A]',
  '          |',
  '  [C]----[@]----[B]',
  '          |',
  '         [D]----[E]',
  '',
  '  @ The Mystical Plaza (you)',
  '  A The Old Library (a way up)',
  '  B The Old Armory',
  '  C The Lantern Market',
  '  D The Moonlit Garden',
  '  E The Bramble Hollow (a way down)',
].join('\n');

describe('getting around', () => {
  it('exits, map, doors and scenery - the same transcript in-process, as actors and as functions', async () => {
    const base = await modeTranscript('in-process', SCRIPT);
    const alice = base.lines['player/alice'];
    const bob = base.lines['player/bob'].join('\n');
    expect(alice.slice(0, 3)).toEqual([PLAZA_EXITS, MAP, 'You close the heavy oak door.']);
    expect(bob).toContain('Alice closes the heavy oak door.');
    expect(bob).toContain('Exits: north, east (closed), west, south.');
    expect(bob).toContain('The heavy oak door is closed.\nObvious exits:\n  north  The Old Library\n  east   The Old Armory (through a heavy oak door, closed)');
    expect(bob).toContain('A studded oak door between the plaza and the armory, black with age. Its hinges are well oiled; somebody still cares about it.\nIt is closed.');
    expect(alice).toContain('The heavy oak door has no lock.');
    // Opened from the plaza, walked through, shut from the far side: the plaza sees the door move.
    expect(bob).toContain('You open the heavy oak door.\nThe Old Armory');
    expect(bob).toContain('You close the heavy oak door.');
    expect(alice).toContain('The heavy oak door swings shut.');
    expect(alice).toContain('The heavy oak door is closed.');
    expect(bob).toContain('The heavy oak door swings open.\nAlice arrives from the west.');
    expect(bob).toContain('An old yew, older than the plaza, its roots heaved up through the shells. Something lives high in its branches and watches you back.');
    expect(bob).toContain('It hangs close enough that you can see the craters, and one of them looks back.');
    expect(bob).toContain('You don\'t see "2.yew" here.\nAn old yew, older than the plaza');
    // A door command that names a way without a door says so (before: 'You don't see "north" here.').
    expect(bob).toMatch(/There is no door to the north\.\nThere is no exit up\.$/);
    await expectSameInOtherModes(SCRIPT, base);
  }, 90_000);
});
