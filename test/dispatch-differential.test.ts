// The same scripted multi-player session gives the same transcript whether
// turns run in-process, as homed actors on worker threads, or as stateless
// functions with compare-and-swap: the dispatcher changes where, not what.
import { describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';

const SCRIPT: Array<[string, string]> = [
  ['alice', 'look'], ['bob', 'say hello, alice'], ['alice', ':waves back'],
  ['alice', 'east'], ['alice', 'open chest'], ['bob', 'east'], ['bob', 'look chest'],
  ['alice', 'take 2.sword from chest'], ['bob', 'take sword from chest'], ['alice', 'take sword from chest'],
  ['alice', 'inventory'], ['bob', 'inventory'], ['alice', 'wield magic_sword'], ['alice', 'wield damaged'],
  ['bob', 'examine alice'], ['bob', 'put sword in chest'], ['bob', 'close chest'], ['alice', 'put damaged in chest'],
  ['alice', 'drop sword'], ['bob', 'take sword'], ['bob', 'west'], ['bob', 'south'], ['bob', 'take key'],
  ['bob', 'say owl'], ['bob', 'north'], ['bob', 'north'], ['bob', 'up'], ['bob', 'unlock strongbox'],
  ['bob', 'open strongbox'], ['bob', 'look strongbox'], ['alice', 'look'], ['alice', 'west'], ['alice', ':dances'],
  // A social aimed at a player; a group walking through a door its leader opens; Old Tamsin's quest asked, taken and finished.
  ['bob', 'down'], ['bob', 'take candle'], ['bob', 'south'], ['alice', 'nod bob'], ['bob', 'bow to alice'],
  ['bob', 'follow alice'], ['alice', 'group bob'], ['alice', 'close east'], ['alice', 'east'], ['alice', 'open east'], ['alice', 'east'],
  ['alice', 'west'], ['bob', 'gtell back again'], ['alice', 'score'], ['bob', 'follow me'],
  // One at a time where creatures greet arrivals: a follower's arrival and a greeting for the leader race in some modes.
  ['alice', 'south'], ['alice', 'east'], ['bob', 'south'], ['bob', 'east'], ['bob', 'ask tamsin about her lamp'], ['bob', 'give candle to tamsin'],
];

async function transcript(dispatch: string): Promise<{ lines: Record<string, string[]>; conservation: string[] }> {
  const h = await engineHarness({ dispatch, nodes: dispatch === 'in-process' ? 0 : 2 });
  try {
    await h.engine.connect('player/alice');
    await h.engine.connect('player/bob');
    for (const [who, line] of SCRIPT) await h.type(`player/${who}`, line);
    await h.engine.disconnect('player/alice');
    await h.engine.disconnect('player/bob');
    return { lines: Object.fromEntries(h.lines), conservation: await conservationErrors(h.store, h.world.definition) };
  } finally {
    await h.close();
  }
}

describe('dispatch differential', () => {
  it('differential - in-process, actor, function and a mixed table give the same transcript', async () => {
    const base = await transcript('in-process');
    expect(base.lines['player/alice'].join('\n')).toMatch(/You take a rune-etched sword from the iron-bound chest\./);
    expect(base.lines['player/bob'].join('\n')).toMatch(/Inside you see a folded star chart and a silver coin/);
    expect(base.lines['player/bob'].join('\n')).toContain('Alice nods to you.\nYou bow before Alice.');
    expect(base.lines['player/bob'].join('\n')).toContain('Alice opens the heavy oak door.\nAlice leaves east.');
    expect(base.lines['player/bob'].join('\n')).toContain('You follow Alice east.\nThe Old Armory');
    expect(base.lines['player/alice'].join('\n')).toContain('[group] Bob: back again');
    expect(base.lines['player/bob'].join('\n')).toContain('[Quest: A Light for Old Tamsin. Find a candle and give it to her.]\nYou give a stub of candle to old Tamsin.');
    expect(base.lines['player/bob'].join('\n')).toContain('[Quest complete: A Light for Old Tamsin.]');
    expect(base.lines['player/alice'].join('\n')).toContain('You lead a group: Bob.');
    expect(base.conservation).toEqual([]);
    for (const mode of ['actor', 'function', 'room=function,item=actor,default=in-process']) {
      const other = await transcript(mode);
      expect(other.lines, mode).toEqual(base.lines);
      expect(other.conservation, mode).toEqual([]);
    }
  }, 60_000);
});
