// Travelling together in every dispatch mode: follow (refused in a circle),
// group a follower, a group walking through a door its leader opens, gtell from
// leader and member, the group in `score`, leaving by no longer following.
// The same lines in-process, as actors and as functions.
import { describe, expect, it } from 'vitest';
import { expectSameInOtherModes, modeTranscript } from './helpers/mode-transcript.js';
import { groupLeaderOf, groupMembersOf } from '../world/core/group.js';

const SCRIPT: Array<[string, string]> = [
  ['bob', 'group alice'], ['bob', 'follow alice'], ['alice', 'follow bob'], ['alice', 'group bob'], ['alice', 'group bob'], ['bob', 'group'], ['alice', 'group'],
  ['alice', 'close door'], ['alice', 'east'], ['alice', 'open door'], ['alice', 'east'], ['bob', 'gtell here we are'], ['alice', 'gtell good'],
  ['alice', 'score'], ['bob', 'score'], ['alice', 'west'], ['bob', 'follow me'], ['alice', 'south'], ['bob', 'gtell hello?'], ['alice', 'ungroup'],
];

describe('groups', () => {
  it('follow, group, a group through a door, gtell, score, leaving - the same transcript in every mode', async () => {
    const base = await modeTranscript('in-process', SCRIPT);
    const alice = base.lines['player/alice'];
    const bob = base.lines['player/bob'];
    expect(bob.slice(0, 2)).toEqual(['Alice is not following you ("follow bob" first).', 'You now follow Alice.']);
    expect(alice.slice(0, 6)).toEqual([
      'Bob now follows you.', "Bob is following you; you can't follow them.", "[group] Bob joins Alice's group.", 'Bob is already in your group.',
      'Your group:\n  Alice (leader)\n  Bob', 'You close the heavy oak door.',
    ]);
    expect(bob).toContain("You are in Alice's group (its leader lists it).");
    // The leader is stopped by the shut door; opened, it lets the group through, the follower after the leader.
    expect(alice).toContain('The heavy oak door is closed.');
    expect(bob.join('\n')).toContain('Alice opens the heavy oak door.\nAlice leaves east.\nThe fountain murmurs something that sounds like "safe travels, Alice".\nYou follow Alice east.\nThe Old Armory');
    expect(alice.join('\n')).toContain('Bob arrives from the west.\n[group] Bob: here we are\n[group] Alice: good');
    expect(bob.join('\n')).toContain('[group] Bob: here we are\n[group] Alice: good');
    expect(alice.join('\n')).toContain('You are not fighting.\n  You lead a group: Bob.');
    expect(bob.join('\n')).toContain("You are not fighting.\n  You are in Alice's group.");
    expect(bob.join('\n')).toContain("You follow Alice west.\nThe Mystical Plaza");
    expect(alice.join('\n')).toContain("Bob stops following you.\n[group] Bob is no longer in Alice's group.");
    expect(bob.slice(-2)).toEqual(['The fountain murmurs something that sounds like "safe travels, Alice".', 'You are not in a group.']);
    expect(alice.at(-1)).toBe('You are not in a group.');
    await expectSameInOtherModes(SCRIPT, base);
  }, 90_000);

  it('queries - the leader answers for the whole group; a member knows its leader', () => {
    const leader = { group: ['player/bob', 'player/carol'] };
    expect(groupMembersOf(leader, 'player/alice')).toEqual(['player/alice', 'player/bob', 'player/carol']);
    expect(groupLeaderOf(leader, 'player/alice')).toBe('player/alice');
    expect(groupLeaderOf({ groupLeader: 'player/alice' }, 'player/bob')).toBe('player/alice');
    expect(groupMembersOf({ groupLeader: 'player/alice' }, 'player/bob')).toEqual([]);
    expect(groupLeaderOf({}, 'player/dan')).toBeUndefined();
  });
});
