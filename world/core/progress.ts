import type { Msg, Ref, TurnCtx } from './types.js';
import { capitalize, nameOf } from '../commands/matching.js';
import { styled } from './text-style.js';
import type { PlayerState } from '../kinds/player.js';
import { itemDef } from '../kinds/item.js';
import { effectiveDamage } from '../kinds/weapon.js';
import { BASE_MAX_HP, hpOf } from './health.js';
import { groupLeaderOf, groupMembersOf } from './group.js';

// A player's progress: experience for each kill (the creature's worth), levels
// at rising thresholds, and what a level gives: more hit points and a harder
// blow. `consider` weighs a creature against the player before a fight.

/** The highest level a player reaches. */
export const LEVEL_CAP = 20;
/** Hit points each level adds, and damage each level adds to a blow. */
export const HP_PER_LEVEL = 10;
export const DAMAGE_PER_LEVEL = 1;

/** Experience a player needs in all to be `level`: 100 for 2, 300 for 3, 600 for 4, ... */
export function xpForLevel(level: number): number {
  return 50 * level * (level - 1);
}

export const levelOf = (s: PlayerState): number => (typeof s.level === 'number' ? s.level : 1);
export const xpOf = (s: PlayerState): number => (typeof s.xp === 'number' ? s.xp : 0);

/** The extra damage a player's blow deals for their level. */
export const blowBonus = (s: PlayerState): number => (levelOf(s) - 1) * DAMAGE_PER_LEVEL;

/** What killing a creature is worth: its own `xp`, or its hit points and blow together. */
export function worthOf(npc: Ref, ctx: TurnCtx): number {
  const props = itemDef(npc, ctx.world)?.props ?? {};
  if (typeof props.xp === 'number') return props.xp;
  const hp = typeof props.hp === 'number' ? props.hp : 10;
  const damage = typeof props.damage === 'number' ? props.damage : 2;
  return Math.max(1, Math.round(hp + 5 * damage));
}

/** A kill's experience: all the killer's, or shared evenly by their group (world/core/group.ts),
 *  wherever its members are. The leader splits it: a member's kill goes to the leader first. */
export function earnXp(s: PlayerState, xp: number, from: Ref, ctx: TurnCtx): PlayerState {
  const leader = groupLeaderOf(s, ctx.self);
  if (!leader) return gainXp(s, xp, from, ctx, false);
  if (leader !== ctx.self) {
    ctx.send(leader, { type: 'share', xp, npc: from, split: true });
    return s;
  }
  const members = groupMembersOf(s, ctx.self);
  const part = Math.max(1, Math.floor(xp / members.length));
  for (const member of members.slice(1)) ctx.send(member, { type: 'share', xp: part, npc: from });
  return gainXp(s, part, from, ctx, true);
}

/** Experience earned: told, and every level it reaches with what the level gives. */
export function gainXp(s: PlayerState, gained: number, from: Ref, ctx: TurnCtx, shared: boolean): PlayerState {
  if (!(gained > 0)) return s;
  const xp = xpOf(s) + gained;
  ctx.tell(ctx.self, styled('combat', `You gain ${gained} experience for ${nameOf(from, ctx.world)}${shared ? ", your share of the group's" : ''}.`));
  let level = levelOf(s);
  while (level < LEVEL_CAP && xp >= xpForLevel(level + 1)) level += 1;
  if (level === levelOf(s)) return { ...s, xp };
  const maxHp = BASE_MAX_HP + (level - 1) * HP_PER_LEVEL;
  const hp = hpOf(s) + (level - levelOf(s)) * HP_PER_LEVEL;
  ctx.tell(ctx.self, styled('combat', `You are now level ${level}! You have ${maxHp} hit points at most, and your blows land ${(level - 1) * DAMAGE_PER_LEVEL} harder.`));
  return { ...s, xp, level, maxHp, hp: Math.min(hp, maxHp) };
}

/** `score`'s line for progress. */
export function progressLine(s: PlayerState): string {
  const level = levelOf(s);
  const next = level < LEVEL_CAP ? `; level ${level + 1} at ${xpForLevel(level + 1)}` : '';
  return `Level: ${level} (${xpOf(s)} experience${next})`;
}

/** How hard this player hits now: the wielded weapon's damage (or a fist's) and the level's bonus. */
export function blowDamage(s: PlayerState, ctx: TurnCtx): number {
  return (s.wielded ? effectiveDamage(s.wielded, ctx.world).damage : 1) + blowBonus(s);
}

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

export const progressHandlers: Record<string, Handler> = {
  /** A group's share of a kill: to split (at the leader), or this member's part. */
  share(s, m, ctx) {
    const xp = typeof m.xp === 'number' ? m.xp : 0;
    if (m.split === true) return earnXp(s, xp, m.npc as Ref, ctx);
    return gainXp(s, xp, m.npc as Ref, ctx, true);
  },
};

export const progressCommands: Record<string, Handler> = {
  /** consider <creature>: the room passes it on; the creature weighs itself against this player. */
  consider(s, m, ctx) {
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: m.target, action: { type: 'consider', hp: hpOf(s), damage: blowDamage(s, ctx) } });
  },
};

/** At a creature: how a fight with a player of `hp` who hits for `damage` would go, in words. */
export function considered(npcHp: number, npcDamage: number, m: Msg, ctx: TurnCtx): string {
  const name = capitalize(nameOf(ctx.self, ctx.world));
  if (npcDamage <= 0) return `${name} could not hurt you.`;
  const yours = Math.ceil(npcHp / Math.max(1, m.damage as number));
  const theirs = Math.ceil((m.hp as number) / npcDamage);
  const ratio = yours / theirs;
  if (ratio <= 0.25) return `${name} would be an easy fight.`;
  if (ratio <= 0.75) return `${name} looks like a fight you should win.`;
  if (ratio <= 1.25) return `${name} would be an even fight.`;
  if (ratio <= 3) return `${name} looks stronger than you.`;
  return `${name} would kill you.`;
}
