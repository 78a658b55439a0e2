import type { Msg, Ref, RoomDef, TurnCtx } from '../core/types.js';
import { capitalize, displayName, findTarget, nameOf, type Target } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { walk } from '../core/walking.js';
import { doorOn } from '../core/doors.js';
import type { PlayerState } from './player.js';
import { groupLine } from '../core/group.js';
import { corpseOf } from './corpse.js';
import { armorOf } from '../core/equipment.js';
import { blowBonus, earnXp, progressLine } from '../core/progress.js';
import { hpOf, maxHpOf, notStanding, positionOf, vitals } from '../core/health.js';
import { coinsOf, coinWords, sendCoins, withCoins } from '../core/coins.js';

// A fight, small and honest: a stream of turns, one round per timer. The
// player's round strikes with the wielded weapon (its damage and condition; a
// magic weapon spends a charge per blow for its bonus), the creature hits back
// or dies (its loot falls into the room by the item protocol), and the reply
// schedules the player's next round. Fleeing, being moved away or dying ends it;
// walking off mid-fight is refused (world/kinds/player.ts: a fight is left by fleeing).

/** Time between a player's blows. */
export const ROUND_MS = 2_000;
/** A bare-handed blow. */
const FIST_DAMAGE = 1;

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;


/** Deals this round's blow: through the weapon (which knows its charges), or a fist. */
function blow(s: PlayerState, npc: Ref, ctx: TurnCtx): void {
  const bonus = blowBonus(s);
  if (s.wielded) return ctx.send(s.wielded, { type: 'strike', player: ctx.self, npc, room: s.room, bonus });
  ctx.send(npc, { type: 'hit', player: ctx.self, room: s.room, damage: FIST_DAMAGE + bonus, with: 'your fists' });
}

export function stopFighting(s: PlayerState, ctx: TurnCtx): PlayerState {
  if (typeof s.roundTimer === 'string') ctx.cancel(s.roundTimer);
  return { ...s, fighting: null, roundTimer: null };
}

export const combatCommands: Record<string, Handler> = {
  attack(s, m, ctx) {
    if (s.fighting) return ctx.tell(ctx.self, styled('error', `You are already fighting ${nameOf(s.fighting as Ref, ctx.world)}.`));
    const down = notStanding(s);
    if (down) return ctx.tell(ctx.self, styled('error', down));
    if (s.trade) return ctx.tell(ctx.self, styled('error', 'Finish your trade first (or cancel it).'));
    const target = m.target as Target;
    if (findTarget(target, s.inventory, ctx.world).ref) return ctx.tell(ctx.self, styled('error', 'You cannot fight something you are carrying.'));
    ctx.send(s.room, { type: 'forward', player: ctx.self, target, players: true, action: { type: 'attack' } });
  },
  /** Out by a random exit, walked as any step is (world/core/walking.ts): a shut door on it stops the
   *  flight and the fight goes on; the fight ends when the player arrives elsewhere (`moved`). */
  flee(s, _m, ctx) {
    if (!s.fighting) return ctx.tell(ctx.self, styled('error', 'You are not fighting anyone.'));
    fleeFrom(s, ctx);
  },
  /** wimpy [hp | off]: flee on one's own when a blow leaves this many hit points or fewer (Diku's wimpy). */
  wimpy(s, m, ctx) {
    if (m.hp === undefined) return ctx.tell(ctx.self, wimpyLine(s));
    const hp = m.hp as number;
    const most = wimpyMost(s);
    if (hp > most) return ctx.tell(ctx.self, styled('error', `At most half your hit points: "wimpy ${most}".`));
    ctx.tell(ctx.self, hp === 0 ? 'Wimpy is off: you fight on until you flee or fall.' : `You will flee on your own when a blow leaves you with ${hp} hit points or fewer.`);
    if (hp === 0) {
      const { wimpy: _off, ...rest } = s;
      return s.wimpy === undefined ? undefined : rest as PlayerState;
    }
    return { ...s, wimpy: hp };
  },
  score(s, _m, ctx) {
    const hp = hpOf(s);
    const position = positionOf(s) === 'standing' ? '' : `\n  You are ${positionOf(s)}.`;
    const weapon = s.wielded ? nameOf(s.wielded, ctx.world) : 'nothing (your fists)';
    const fighting = s.fighting ? `You are fighting ${nameOf(s.fighting as Ref, ctx.world)}.` : 'You are not fighting.';
    const group = groupLine(s, ctx.self);
    const wimpy = typeof s.wimpy === 'number' ? ` (you flee at ${s.wimpy})` : '';
    ctx.tell(ctx.self, `${displayName(ctx.self)}\n  Hit points: ${hp}/${maxHpOf(s)}${wimpy}\n  ${progressLine(s)}\n  Wielding: ${weapon}\n  Carrying: ${s.inventory.length} thing${s.inventory.length === 1 ? '' : 's'}\n  Gold: ${coinsOf(s) ? coinWords(coinsOf(s)) : 'none'}\n  ${fighting}${position}${group ? `\n  ${group}` : ''}`);
    ctx.emit(ctx.self, 'Char.Vitals', vitals(s));
  },
};

export const combatHandlers: Record<string, Handler> = {
  /** The creature accepted the fight: the first blow at once, the rest on the round timer. */
  engage(s, m, ctx) {
    if (s.fighting || m.room !== s.room) return;
    const npc = m.npc as Ref;
    ctx.tell(ctx.self, styled('combat', `You attack ${nameOf(npc, ctx.world)}!`));
    ctx.tellRoom(s.room, styled('combat', `${displayName(ctx.self)} attacks ${nameOf(npc, ctx.world)}!`), [ctx.self]);
    blow(s, npc, ctx);
    return { ...s, fighting: npc, roundTimer: null };
  },
  /** The round as the creature answered the blow: the blow's line, then its blow back, or its death. */
  struck(s, m, ctx) {
    if (typeof m.text === 'string') ctx.tell(ctx.self, m.text);
    if (s.fighting !== m.npc) return;
    const npc = m.npc as Ref;
    if (m.gone) {
      ctx.tell(ctx.self, styled('combat', `${capitalize(nameOf(npc, ctx.world))} is no longer here.`));
      return stopFighting(s, ctx);
    }
    if (m.dead) {
      // A kill was told with the blow; a creature someone else killed meanwhile is told here.
      if (m.killed !== true) ctx.tell(ctx.self, styled('combat', `${capitalize(nameOf(npc, ctx.world))} is dead.`));
      const calm = stopFighting(s, ctx);
      return m.killed === true && typeof m.xp === 'number' ? earnXp(calm, m.xp, npc, ctx) : calm;
    }
    // What the player wears turns aside part of every blow (world/core/equipment.ts).
    const damage = Math.max(0, (m.damage as number) - armorOf(s, ctx.world));
    const hp = Math.max(0, hpOf(s) - damage);
    const them = capitalize(nameOf(npc, ctx.world));
    ctx.tell(ctx.self, styled('combat', damage > 0 ? `${them} hits you for ${damage} (${hp}/${maxHpOf(s)}).` : m.asleep === true ? `${them} sleeps on.` : `${them} misses you.`));
    if (hp === 0) return die(s, npc, m, ctx);
    const roundTimer = ctx.after(ROUND_MS, { type: 'round' });
    // Wimpy: the player runs on their own (linked or not); a flight that fails (no way out, a shut door) fights on.
    if (typeof s.wimpy === 'number' && hp <= s.wimpy && damage > 0) {
      ctx.tell(ctx.self, styled('combat', 'Wounded, you panic and run!'));
      fleeFrom(s, ctx);
    }
    return { ...s, hp, roundTimer };
  },
  /** Someone tries to fight this player: fighting players is off. */
  attack(_s, m, ctx) {
    const attacker = m.player as Ref;
    ctx.tell(attacker, styled('error', attacker === ctx.self ? 'You cannot fight yourself.' : `You cannot fight ${displayName(ctx.self)}: fighting other players is off in this world.`));
  },
  round(s, _m, ctx) {
    if (!s.fighting) return;
    const next = { ...s, roundTimer: null };
    blow(next, s.fighting as Ref, ctx);
    return next;
  },
};

/** Out of the fight by a random exit (the fight ends when the player arrives elsewhere: `moved`). */
function fleeFrom(s: PlayerState, ctx: TurnCtx): void {
  const def = ctx.world.def(s.room);
  const dirs = def?.kind === 'room' ? Object.keys(def.exits) : [];
  if (dirs.length === 0) return ctx.tell(ctx.self, styled('error', 'There is nowhere to flee to!'));
  const dir = dirs[Math.floor(ctx.random() * dirs.length)];
  // Through a door, the door tells how it went; else the way is open.
  if (!doorOn(def as RoomDef, dir)) ctx.tell(ctx.self, styled('combat', `You flee ${dir}!`));
  walk(ctx.self, s.room, dir, ctx, true);
}

/** The highest `wimpy` a player may set: half their hit points. */
const wimpyMost = (s: PlayerState): number => Math.floor(maxHpOf(s) / 2);

function wimpyLine(s: PlayerState): string {
  if (typeof s.wimpy !== 'number') return `Wimpy is off: you fight on until you flee or fall. "wimpy <hit points>" runs for you below them (at most ${wimpyMost(s)}).`;
  return `You flee on your own when a blow leaves you with ${s.wimpy} hit points or fewer. ("wimpy off" to fight on.)`;
}

/** Death has a cost: the fight ends, what the player carried lies in their corpse where they fell
 *  (world/kinds/corpse.ts: each thing moved by its own message, applied once), and they wake whole
 *  in the world's start room with nothing. */
function die(s: PlayerState, npc: Ref, m: Msg, ctx: TurnCtx): PlayerState {
  const corpse = corpseOf(ctx.self, m.id);
  ctx.tell(ctx.self, styled('combat', `${capitalize(nameOf(npc, ctx.world))} strikes you down. Everything goes dark...`));
  ctx.tellRoom(s.room, styled('combat', `${displayName(ctx.self)} falls to ${nameOf(npc, ctx.world)}.`), [ctx.self]);
  ctx.send(corpse, { type: 'spawned', holder: s.room, room: s.room });
  for (const item of s.inventory) ctx.send(corpse, { type: 'lay', item });
  sendCoins(ctx, corpse, coinsOf(s));
  ctx.send(s.room, { type: 'drop', player: ctx.self, item: corpse, quiet: true });
  ctx.tell(ctx.self, 'You wake with nothing but your life. What you carried lies with your corpse where you fell.');
  ctx.send(s.room, { type: 'exit', player: ctx.self, name: displayName(ctx.self), dir: null, to: ctx.world.startRoom, fromDir: null });
  if (typeof s.regenTimer === 'string') ctx.cancel(s.regenTimer);
  const deaths = ((s.deaths as number | undefined) ?? 0) + 1;
  return { ...stopFighting(withCoins(s, -coinsOf(s)), ctx), inventory: [], wielded: null, worn: {}, hp: maxHpOf(s), position: 'standing', regenTimer: null, deaths };
}
