// "all.X" as Diku players type it: get, drop, put and give every thing a word names (and "put all"), in every
// dispatch mode with the same lines, every item still existing exactly once. A `put all` that cannot go anywhere
// says so once, not once per thing.
import { describe, expect, it } from 'vitest';
import { expectSameInOtherModes, modeTranscript } from './helpers/mode-transcript.js';

const SCRIPT: Array<[string, string]> = [
  ['alice', 'east'], ['alice', 'open chest'], ['alice', 'get all.sword from chest'], ['alice', 'get all.sword from chest'],
  ['alice', 'put all.apple in chest'], ['alice', 'drop all.steel'], ['alice', 'look'], ['alice', 'get all.sword'], ['alice', 'get all.sword'],
  ['alice', 'put all in chest'], ['alice', 'close chest'], ['alice', 'get all sword from chest'], ['alice', 'open chest'],
  ['alice', 'get all.fine from chest'], ['alice', 'get all from chest'], ['alice', 'west'], ['alice', 'put all in bag'], ['alice', 'put all in fountain'],
  ['bob', 'west'], ['bob', 'get all.apple'], ['bob', 'east'], ['bob', 'give all.apple to alice'], ['bob', 'give all.apple to alice'],
  ['alice', 'give all.sword to bob'], ['alice', 'inventory'], ['bob', 'inventory'],
];

describe('all.X', () => {
  it('get, drop, put and give all.X, and put all: the same transcript in every mode, nothing lost', async () => {
    const base = await modeTranscript('in-process', SCRIPT);
    const firstLines = (who: string) => base.lines[who].map((l: string) => (l.includes('\nExits:') ? `${l.split('\n')[0]} (${l.split('\n').at(-1)})` : l));
    expect(firstLines('player/alice')).toEqual([
      'The Old Armory (You see an iron-bound chest and an empty weapons rack.)',
      'You open the iron-bound chest.',
      'You take a fine steel sword, a slightly damaged steel sword and a rune-etched sword from the iron-bound chest.',
      'There is no "sword" in the iron-bound chest.',
      'You aren\'t carrying anything called "apple".',
      // "steel" names two of the three: the rune-etched sword stays in hand.
      'You drop a fine steel sword and a slightly damaged steel sword.',
      'The Old Armory (You see an iron-bound chest, an empty weapons rack, a fine steel sword and a slightly damaged steel sword.)',
      'You take a fine steel sword and a slightly damaged steel sword.',
      'There is nothing called "sword" here you can take.',
      'You put a rune-etched sword in the iron-bound chest.',
      'You put a fine steel sword in the iron-bound chest.',
      'You put a slightly damaged steel sword in the iron-bound chest.',
      'You close the iron-bound chest.',
      'The iron-bound chest is closed.',
      'You open the iron-bound chest.',
      'You take a fine steel sword from the iron-bound chest.',
      'You take a rune-etched sword and a slightly damaged steel sword from the iron-bound chest.',
      'The Mystical Plaza (Bob is here.)',
      // Three things with nowhere to go: told once, and each back in hand.
      'You don\'t see "bag" here.',
      'You can\'t put things in a marble fountain.',
      'Bob leaves west.',
      'The fountain murmurs something that sounds like "safe travels, Bob".',
      'Bob arrives from the west.',
      'Bob gives you a red apple.',
      'Bob gives you a red apple.',
      'Bob gives you a green apple.',
      'You give a fine steel sword to Bob.',
      'You give a rune-etched sword to Bob.',
      'You give a slightly damaged steel sword to Bob.',
      'You are carrying:\n  two red apples\n  a green apple',
    ]);
    expect(base.lines['player/bob'].slice(-8)).toEqual([
      'You give a red apple to Alice.', 'You give a red apple to Alice.', 'You give a green apple to Alice.', 'You aren\'t carrying anything.',
      'Alice gives you a fine steel sword.', 'Alice gives you a rune-etched sword.', 'Alice gives you a slightly damaged steel sword.',
      'You are carrying:\n  a fine steel sword\n  a rune-etched sword\n  a slightly damaged steel sword',
    ]);
    await expectSameInOtherModes(SCRIPT, base);
  });
});
