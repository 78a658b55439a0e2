// Finding one's way in every dispatch mode: `exits` (with the doors on them),
// `map`, doors that stop a walker while shut and are shut for both sides at
// once, and the scenery of a room's description (`look yew`). The same lines
// whether turns run in-process, as homed actors or as stateless functions.
import { describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';

const SCRIPT: Array<[string, string]> = [
  ['alice', 'exits'], ['alice', 'map'], ['alice', 'close door'], ['bob', 'look'], ['bob', 'east'], ['bob', 'exits'],
  ['bob', 'look door'], ['alice', 'lock east'], ['bob', 'open east'], ['bob', 'east'], ['bob', 'close west'],
  ['alice', 'east'], ['alice', 'open door'], ['alice', 'east'], ['alice', 'west'], ['bob', 'west'], ['bob', 'south'], ['bob', 'look yew'],
  ['bob', 'look at the moon'], ['bob', 'look 2.yew'], ['bob', 'look tree'],
];

async function transcript(dispatch: string) {
  const h = await engineHarness({ dispatch, nodes: dispatch === 'in-process' ? 0 : 2 });
  try {
    await h.engine.connect('player/alice');
    await h.engine.connect('player/bob');
    h.lines.clear();
    h.lines.set('player/alice', []).set('player/bob', []);
    for (const [who, line] of SCRIPT) await h.type(`player/${who}`, line);
    return { lines: Object.fromEntries(h.lines), conservation: await conservationErrors(h.store, h.world.definition) };
  } finally {
    await h.close();
  }
}

const PLAZA_EXITS = 'Obvious exits:\n  north  The Old Library\n  east   The Old Armory (through a heavy oak door, open)\n  west   The Lantern Market\n  south  The Moonlit Garden';
const MAP = [
  '         [A]',
  '          |',
  '  [C]----[@]----[B]',
  '          |',
  '         [D]----[E]',
  '',
  '  @ The Mystical Plaza (you)',
  '  A The Old Library (up)',
  '  B The Old Armory',
  '  C The Lantern Market',
  '  D The Moonlit Garden',
  '  E The Bramble Hollow (down)',
].join('\n');

describe('getting around', () => {
  it('exits, map, doors and scenery - the same transcript in-process, as actors and as functions', async () => {
    const base = await transcript('in-process');
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
    expect(bob).toContain('You don\'t see "yew" here.\nAn old yew, older than the plaza');
    expect(base.conservation).toEqual([]);
    for (const mode of ['actor', 'function']) {
      const other = await transcript(mode);
      expect(other.lines, mode).toEqual(base.lines);
      expect(other.conservation, mode).toEqual([]);
    }
  }, 90_000);
});
