import type { Json, Msg, TurnCtx } from './types.js';
import { displayName } from '../commands/matching.js';
import { styled } from './text-style.js';
import type { PlayerState } from '../kinds/player.js';

// A player's health between fights: hit points come back on one durable timer
// (committed with the state, so it survives restarts, kill -9 and live
// switches), faster resting and faster still asleep. The timer is armed only
// while hurt, so a whole player costs nothing. What a client shows of it is
// `Char.Vitals` (world/core/client-data.ts), which the session also reads for the prompt.

/** Time between two regeneration ticks. */
export const REGEN_MS = 5_000;
/** The most hit points a player starts with (levels add to it: world/core/progress.ts). */
export const BASE_MAX_HP = 100;

export type Position = 'standing' | 'resting' | 'sleeping';

/** Hit points back per tick, by position; none while fighting. */
export const REGEN_PER_TICK: Readonly<Record<Position, number>> = { standing: 2, resting: 6, sleeping: 12 };

export const positionOf = (s: PlayerState): Position => (s.position === 'resting' || s.position === 'sleeping' ? s.position : 'standing');

/** Hit points as the turn handlers see them: absent means whole. */
export function maxHpOf(s: PlayerState): number {
  return typeof s.maxHp === 'number' ? s.maxHp : BASE_MAX_HP;
}

export function hpOf(s: PlayerState): number {
  return typeof s.hp === 'number' ? s.hp : maxHpOf(s);
}

/** After any turn of a player: while hurt, one regeneration tick is pending. */
export function keepRegenerating(s: PlayerState, ctx: TurnCtx): PlayerState {
  if (hpOf(s) >= maxHpOf(s) || typeof s.regenTimer === 'string') return s;
  return { ...s, regenTimer: ctx.after(REGEN_MS, { type: 'regen' }) };
}

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

export const healthHandlers: Record<string, Handler> = {
  /** A tick: some hit points back (none mid-fight); the next tick is armed after the turn while still hurt. */
  regen(s, m, ctx) {
    if (s.regenTimer !== m.id) return; // a tick from before a death or a reset: spent, nothing to do
    const max = maxHpOf(s);
    const gain = s.fighting ? 0 : REGEN_PER_TICK[positionOf(s)];
    const hp = Math.min(max, hpOf(s) + gain);
    if (hp === max && hpOf(s) < max) ctx.tell(ctx.self, positionOf(s) === 'standing' ? 'You feel whole again.' : 'You feel fully rested.');
    return { ...s, hp, regenTimer: null };
  },
};

const SETTLE: Record<string, { to: Position; self: string; room: string; already: string }> = {
  rest: { to: 'resting', self: 'You sit down and rest.', room: 'sits down and rests.', already: 'You are already resting.' },
  sleep: { to: 'sleeping', self: 'You lie down and go to sleep.', room: 'lies down and goes to sleep.', already: 'You are already asleep.' },
  stand: { to: 'standing', self: 'You stand up.', room: 'stands up.', already: 'You are already standing.' },
  wake: { to: 'standing', self: 'You wake and stand up.', room: 'wakes and stands up.', already: 'You are not asleep.' },
};

export const positionCommands: Record<string, Handler> = Object.fromEntries(Object.entries(SETTLE).map(([verb, how]) => [verb, (s: PlayerState, _m: Msg, ctx: TurnCtx) => {
  const now = positionOf(s);
  if (now === how.to || (verb === 'wake' && now !== 'sleeping')) return ctx.tell(ctx.self, how.already);
  if (s.fighting && how.to !== 'standing') return ctx.tell(ctx.self, styled('error', 'Not in the middle of a fight!'));
  ctx.tell(ctx.self, how.self);
  ctx.tellRoom(s.room, `${displayName(ctx.self)} ${how.room}`, [ctx.self]);
  return { ...s, position: how.to };
}]));

/** A command that needs its player on their feet: the refusal, or undefined when they are. */
export function notStanding(s: PlayerState): string | undefined {
  const now = positionOf(s);
  if (now === 'sleeping') return 'You are asleep. ("wake" first.)';
  if (now === 'resting') return 'You are resting. ("stand" first.)';
  return undefined;
}

/** `Char.Vitals`: the numbers a client's gauges and the session's prompt read. */
export function vitals(s: PlayerState): Json {
  // Level and experience as world/core/progress.ts keeps them (absent: level 1, none yet).
  return { hp: hpOf(s), maxhp: maxHpOf(s), position: positionOf(s), fighting: !!s.fighting, level: typeof s.level === 'number' ? s.level : 1, xp: typeof s.xp === 'number' ? s.xp : 0 };
}

/** Did anything `Char.Vitals` shows change between two states? */
export function vitalsChanged(before: PlayerState, after: PlayerState): boolean {
  return hpOf(before) !== hpOf(after) || maxHpOf(before) !== maxHpOf(after) || positionOf(before) !== positionOf(after)
    || !!before.fighting !== !!after.fighting || before.level !== after.level || before.xp !== after.xp;
}
