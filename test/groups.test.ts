// Travelling together in every dispatch mode: follow (refused in a circle),
// group a follower, a group walking through a door its leader opens, gtell from
// leader and member, the group in `score`, leaving by no longer following.
// The same lines in-process, as actors and as functions.
import { describe, expect, it } from 'vitest';
import { expectSameInOtherModes, modeTranscript } from './helpers/mode-transcript.js';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say as sayIn } from './helpers/transcript.js';
import { conservationErrors } from './helpers/conservation.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { runTurn } from '../world/core/turn.js';
import { groupLeaderOf, groupMembersOf } from '../world/core/group.js';

const GROUP_FIELDS = ['following', 'followers', 'group', 'groupLeader'] as const;

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

  for (const [mode, nodes] of MODES) {
    it(`groups - ${mode}: a follower who quits leaves the group; a leader who quits ends it; no one follows someone gone`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes });
      const said = (who: string) => h.lines.get(`player/${who}`) ?? [];
      const say = (who: string, line: string) => sayIn(h, line, `player/${who}`);
      const fields = async (who: string) => {
        const state = ((await h.store.get(`player/${who}`))?.value as { state: Record<string, unknown> }).state;
        return Object.fromEntries(GROUP_FIELDS.map((f) => [f, state[f] ?? null]));
      };
      const outside = async (who: string) => {
        const f = await fields(who);
        expect([f.following, f.groupLeader], who).toEqual([null, null]);
        expect([...(f.followers as string[] ?? []), ...(f.group as string[] ?? [])], who).toEqual([]);
      };
      try {
        for (const who of ['alice', 'bob', 'carol']) await h.engine.connect(`player/${who}`);
        await say('bob', 'follow alice');
        await say('carol', 'follow alice');
        await say('alice', 'group bob');
        await say('alice', 'group carol');
        expect(await say('alice', 'group')).toBe('Your group:\n  Alice (leader)\n  Bob\n  Carol');

        // A follower quits: the leader and the group are told, and the group lists who remains.
        let before = said('alice').length;
        const bobBefore = said('bob').length;
        await h.engine.disconnect('player/carol');
        expect(said('alice').slice(before)).toEqual(expect.arrayContaining(['Carol has left the game and stops following you.', "[group] Carol is no longer in Alice's group."]));
        expect(said('bob').slice(bobBefore)).toContain("[group] Carol is no longer in Alice's group.");
        expect(await say('alice', 'group')).toBe('Your group:\n  Alice (leader)\n  Bob');
        await outside('carol');

        // The leader walks on: the one still following comes along.
        expect(await say('bob', 'gtell still here')).toBe('[group] Bob: still here');
        before = said('bob').length;
        await say('alice', 'west');
        expect(said('bob').slice(before).join('\n')).toContain('You follow Alice west.');

        // The leader quits: the group is no more, and no one follows them.
        before = said('bob').length;
        await h.engine.disconnect('player/alice');
        expect(said('bob').slice(before)).toContain('[group] Alice has left the game; the group is no more.');
        expect(await say('bob', 'group')).toBe('You are not in a group. Someone who follows you can join yours: group <name>.');
        expect(await say('bob', 'follow me')).toBe('You are not following anyone.');
        expect(await say('bob', 'gtell anyone?')).toBe('You are not in a group.');
        for (const who of ['alice', 'bob']) await outside(who);
        // Back again, each starts outside any group, and can form one anew.
        await h.engine.connect('player/alice');
        await h.engine.connect('player/carol');
        expect(await say('alice', 'group')).toBe('You are not in a group. Someone who follows you can join yours: group <name>.');
        await say('alice', 'east');
        expect(await say('carol', 'follow alice')).toBe('You now follow Alice.');
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);
  }

  it('groups - a login after a crash kept a group: the player leaves it, and those it led are told', async () => {
    const world = await loadLiveWorld(DEFAULT_WORLD);
    const state = { room: 'room/mystical_plaza', inventory: [], wielded: null, online: true, following: 'player/dan', groupLeader: 'player/dan', followers: ['player/eve'], group: ['player/eve'] };
    const turn = runTurn(world, { shardCapacity: 0 }, 'player/bob', { state, recent: [] }, { id: 'c-1', type: 'connect', actor: 'player/bob' }, 1_000);
    const sends = turn.effects.filter((e) => e.t === 'send').map((e) => e.t === 'send' && [e.to, e.msg.type]);
    expect(sends).toEqual(expect.arrayContaining([['player/dan', 'unfollowed'], ['player/eve', 'leaderLeft']]));
    expect(turn.record!.state).toMatchObject({ following: null, groupLeader: null, followers: [], group: [] });
    // A member who had stopped following leaves the group apart.
    const member = runTurn(world, { shardCapacity: 0 }, 'player/bob', { state: { ...state, following: null, followers: [], group: [] }, recent: [] }, { id: 'c-2', type: 'disconnect', actor: 'player/bob' }, 1_000);
    expect(member.effects.filter((e) => e.t === 'send').map((e) => e.t === 'send' && [e.to, e.msg.type])).toContainEqual(['player/dan', 'groupLeave']);
  });
});
