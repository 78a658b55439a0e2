import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { displayName, type Target } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { followersOf, followingOf, GROUP_LIMIT, groupLeaderOf, membersOf, tellGroup } from '../core/group.js';
import { exitTowards, walk } from '../core/walking.js';
import { positionOf } from '../core/health.js';
import type { PlayerState } from './player.js';

// Travelling together: `follow` someone here (you walk where they walk),
// `group` a follower (you share a group: `gtell`, `score`, shared experience,
// see world/core/group.ts), `ungroup`. Each change is a message between the two
// players, so each keeps its own side and the pair stays in step.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

const SELF = new Set(['me', 'self', 'myself']);
const without = (list: Ref[], ref: Ref) => list.filter((r) => r !== ref);
const chat = (text: string) => styled('channel', text);

export const groupCommands: Record<string, Handler> = {
  follow(s, m, ctx) {
    const target = m.target as Target | undefined;
    if (!target || (target.n === 1 && SELF.has(target.words.join(' ')))) {
      const leader = followingOf(s);
      if (!leader) return ctx.tell(ctx.self, 'You are not following anyone.');
      ctx.send(leader, { type: 'unfollowed', player: ctx.self });
      ctx.tell(ctx.self, `You stop following ${displayName(leader)}.`);
      return { ...s, following: null };
    }
    ctx.send(s.room, { type: 'toPlayer', player: ctx.self, target, action: { type: 'followed' } });
  },
  group(s, m, ctx) {
    const target = m.target as Target | undefined;
    if (!target) return ctx.tell(ctx.self, groupList(s, ctx));
    if (typeof s.groupLeader === 'string') return ctx.tell(ctx.self, styled('error', `You are in ${displayName(s.groupLeader)}'s group; only its leader adds to it.`));
    const name = target.words.join(' ');
    const follower = followersOf(s).find((r) => r === `player/${name}`);
    if (!follower) return ctx.tell(ctx.self, styled('error', `${displayName(`player/${name}`)} is not following you ("follow ${displayName(ctx.self).toLowerCase()}" first).`));
    if (membersOf(s).includes(follower)) return ctx.tell(ctx.self, `${displayName(follower)} is already in your group.`);
    if (membersOf(s).length >= GROUP_LIMIT) return ctx.tell(ctx.self, styled('error', `A group has at most ${GROUP_LIMIT + 1} members.`));
    const group = [...membersOf(s), follower];
    tellGroup({ group }, ctx.self, chat(`[group] ${displayName(follower)} joins ${displayName(ctx.self)}'s group.`), ctx);
    ctx.send(follower, { type: 'grouped', leader: ctx.self });
    return { ...s, group };
  },
  ungroup(s, m, ctx) {
    const target = m.target as Target | undefined;
    if (typeof s.groupLeader === 'string') {
      if (target) return ctx.tell(ctx.self, styled('error', 'Only the leader removes others; "ungroup" alone leaves the group.'));
      ctx.send(s.groupLeader, { type: 'groupLeave', player: ctx.self });
      ctx.tell(ctx.self, `You leave ${displayName(s.groupLeader)}'s group.`);
      return { ...s, groupLeader: null };
    }
    const members = membersOf(s);
    if (!members.length) return ctx.tell(ctx.self, 'You are not in a group.');
    const leaving = target ? members.filter((r) => r === `player/${target.words.join(' ')}`) : members;
    if (!leaving.length) return ctx.tell(ctx.self, styled('error', `${displayName(`player/${target!.words.join(' ')}`)} is not in your group.`));
    tellGroup(s, ctx.self, chat(target ? `[group] ${displayName(leaving[0])} is no longer in ${displayName(ctx.self)}'s group.` : `[group] ${displayName(ctx.self)} disbands the group.`), ctx);
    for (const member of leaving) ctx.send(member, { type: 'ungrouped', leader: ctx.self });
    return { ...s, group: members.filter((r) => !leaving.includes(r)) };
  },
  gtell(s, m, ctx) {
    const leader = groupLeaderOf(s, ctx.self);
    if (!leader) return ctx.tell(ctx.self, styled('error', 'You are not in a group.'));
    if (leader === ctx.self) return void groupHandlers.gtell(s, { ...m, player: ctx.self }, ctx);
    ctx.send(leader, { type: 'gtell', player: ctx.self, text: m.text });
  },
};

function groupList(s: PlayerState, ctx: TurnCtx): string {
  const leader = groupLeaderOf(s, ctx.self);
  if (!leader) return 'You are not in a group. Someone who follows you can join yours: group <name>.';
  if (leader !== ctx.self) return `You are in ${displayName(leader)}'s group (its leader lists it).`;
  return `Your group:\n  ${displayName(ctx.self)} (leader)\n  ${membersOf(s).map(displayName).join('\n  ')}`;
}

export const groupHandlers: Record<string, Handler> = {
  /** Someone here wants to follow this player. */
  followed(s, m, ctx) {
    const follower = m.player as Ref;
    if (follower === ctx.self) return ctx.tell(ctx.self, 'You follow yourself around for a bit.');
    if (s.following === follower) return ctx.tell(follower, styled('error', `${displayName(ctx.self)} is following you; you can't follow them.`));
    if (followersOf(s).includes(follower)) return ctx.tell(follower, `You are already following ${displayName(ctx.self)}.`);
    if (followersOf(s).length >= GROUP_LIMIT) return ctx.tell(follower, styled('error', `${displayName(ctx.self)} has as many followers as they can lead.`));
    ctx.tell(ctx.self, `${displayName(follower)} now follows you.`);
    ctx.send(follower, { type: 'nowFollowing', leader: ctx.self });
    return { ...s, followers: [...followersOf(s), follower] };
  },
  /** The leader took this player on: whoever they followed before is told. */
  nowFollowing(s, m, ctx) {
    const leader = m.leader as Ref;
    const before = followingOf(s);
    if (before && before !== leader) ctx.send(before, { type: 'unfollowed', player: ctx.self });
    ctx.tell(ctx.self, `You now follow ${displayName(leader)}.`);
    return { ...s, following: leader };
  },
  unfollowed(s, m, ctx) {
    const follower = m.player as Ref;
    if (!followersOf(s).includes(follower)) return;
    ctx.tell(ctx.self, `${displayName(follower)} ${m.left === true ? 'has left the game and ' : ''}stops following you.`);
    const next = { ...s, followers: without(followersOf(s), follower) };
    if (!membersOf(s).includes(follower)) return next;
    ctx.send(follower, { type: 'ungrouped', leader: ctx.self });
    tellGroup(s, ctx.self, chat(`[group] ${displayName(follower)} is no longer in ${displayName(ctx.self)}'s group.`), ctx);
    return { ...next, group: without(membersOf(s), follower) };
  },
  /** The one this player follows walked `dir` out of `from`: if still there and still following, go too. */
  lead(s, m, ctx) {
    if (s.following !== m.leader || s.room !== m.from) return;
    // Only a follower on their feet and free goes along: one asleep, resting or fighting stays.
    const held = s.fighting ? 'You are fighting' : positionOf(s) !== 'standing' ? `You are ${positionOf(s)}` : undefined;
    if (held) return ctx.tell(ctx.self, styled('error', `${held}, and cannot follow ${displayName(m.leader as Ref)} ${m.dir as string}.`));
    ctx.tell(ctx.self, `You follow ${displayName(m.leader as Ref)} ${m.dir as string}.`);
    walk(ctx.self, s.room, m.dir as string, ctx);
  },
  grouped(s, m) {
    if (s.groupLeader === m.leader) return;
    return { ...s, groupLeader: m.leader as Ref };
  },
  ungrouped(s, m) {
    if (s.groupLeader !== m.leader) return;
    return { ...s, groupLeader: null };
  },
  groupLeave(s, m, ctx) {
    const member = m.player as Ref;
    if (!membersOf(s).includes(member)) return;
    tellGroup(s, ctx.self, chat(`[group] ${displayName(member)} leaves ${displayName(ctx.self)}'s group.`), ctx);
    return { ...s, group: without(membersOf(s), member) };
  },
  /** The one this player followed, or whose group it was in, left the game: neither lasts without them. */
  leaderLeft(s, m, ctx) {
    const leader = m.leader as Ref;
    const following = s.following === leader;
    const grouped = s.groupLeader === leader;
    if (!following && !grouped) return;
    ctx.tell(ctx.self, grouped ? chat(`[group] ${displayName(leader)} has left the game; the group is no more.`) : `${displayName(leader)} has left the game; you stop following them.`);
    return { ...s, following: following ? null : s.following, groupLeader: grouped ? null : s.groupLeader };
  },
  /** A member's words for the group, fanned out by its leader. */
  gtell(s, m, ctx) {
    const from = m.player as Ref;
    if (from !== ctx.self && !membersOf(s).includes(from)) return ctx.tell(from, styled('error', 'You are not in a group.'));
    tellGroup(s, ctx.self, chat(`[group] ${displayName(from)}: ${m.text as string}`), ctx, from);
  },
};

/** This player leaves the game (or comes back after a crash left it in a
 *  group): the one it followed, or whose group it was in, lets it go; those
 *  who followed it, or were in its group, are told and stop. No one is left
 *  following, or grouped with, someone who is gone. */
export function leaveGroup(s: PlayerState, ctx: TurnCtx): PlayerState {
  const following = followingOf(s);
  const leader = typeof s.groupLeader === 'string' ? s.groupLeader : undefined;
  const behind = [...new Set([...followersOf(s), ...membersOf(s)])];
  if (!following && !leader && !behind.length) return s;
  // `unfollowed` also takes a follower out of its leader's group; one who stopped following leaves it apart.
  if (following) ctx.send(following, { type: 'unfollowed', player: ctx.self, left: true });
  if (leader && leader !== following) ctx.send(leader, { type: 'groupLeave', player: ctx.self });
  for (const other of behind) ctx.send(other, { type: 'leaderLeft', leader: ctx.self });
  return { ...s, following: null, groupLeader: null, followers: [], group: [] };
}

/** After this player moved from `from` to `to`: whoever follows them is told to come along. */
export function leadFollowers(s: PlayerState, from: Ref, to: Ref, ctx: TurnCtx): void {
  const followers = followersOf(s);
  if (!followers.length || !from) return;
  const dir = exitTowards(from, to, ctx);
  if (!dir) return;
  for (const follower of followers) ctx.send(follower, { type: 'lead', leader: ctx.self, from, dir });
}
