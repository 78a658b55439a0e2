import type { Json, Ref, TurnCtx } from './types.js';
import { displayName, listNames } from '../commands/matching.js';

// A group as the players' states hold it: the leader keeps the members
// (`group`), each member the leader (`groupLeader`); who follows whom is kept
// the same way (`followers` on the leader, `following` on the follower).
// Anything that needs the group (shared experience, `gtell`, `score`) asks
// here: `groupLeaderOf` answers on every member; `groupMembersOf` on the
// leader, who is the one to send a share to (world/kinds/player-group.ts).

/** The group and following fields of a player's state. */
export interface GroupFields {
  following?: Ref | null;
  followers?: Ref[];
  group?: Ref[];
  groupLeader?: Ref | null;
  [key: string]: Json | undefined;
}

/** Most players one leader may have in a group or following: a bounded state. */
export const GROUP_LIMIT = 12;

const refs = (v: Json | undefined): Ref[] => (Array.isArray(v) ? (v as Ref[]) : []);

/** The leader of the group `self` is in (itself, when it leads one), or undefined. */
export function groupLeaderOf(s: GroupFields, self: Ref): Ref | undefined {
  if (typeof s.groupLeader === 'string') return s.groupLeader;
  return refs(s.group).length > 0 ? self : undefined;
}

/** Everyone in the group `self` leads, itself first; empty when it leads none. */
export function groupMembersOf(s: GroupFields, self: Ref): Ref[] {
  const members = refs(s.group);
  return members.length > 0 ? [self, ...members] : [];
}

export const followersOf = (s: GroupFields): Ref[] => refs(s.followers);
export const followingOf = (s: GroupFields): Ref | undefined => (typeof s.following === 'string' ? s.following : undefined);
export const membersOf = (s: GroupFields): Ref[] => refs(s.group);

/** `score`'s line about the group, or undefined outside one. */
export function groupLine(s: GroupFields, self: Ref): string | undefined {
  const members = membersOf(s);
  if (members.length) return `You lead a group: ${listNames(members.map(displayName))}.`;
  if (typeof s.groupLeader === 'string') return `You are in ${displayName(s.groupLeader)}'s group.`;
  return undefined;
}

/** A line to every member of the group the leader `self` leads. */
export function tellGroup(s: GroupFields, self: Ref, text: string, ctx: TurnCtx, from?: Ref): void {
  for (const member of groupMembersOf(s, self)) ctx.tell(member, text, from);
}
