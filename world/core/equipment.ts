import type { Msg, Ref, TurnCtx, WorldView } from './types.js';
import { displayName, findTarget, nameOf, type Target } from '../commands/matching.js';
import { styled } from './text-style.js';
import { itemDef } from '../kinds/item.js';
import type { PlayerState } from '../kinds/player.js';

// What a player wears: one thing per slot, each still in the inventory (as the
// wielded weapon is), so it moves, drops and dies with its wearer by the item
// protocol like anything carried. Armour turns aside damage from every blow.

/** The places a thing is worn, in the order `equipment` lists them. */
export const WEAR_SLOTS = ['head', 'neck', 'body', 'arms', 'hands', 'waist', 'legs', 'feet', 'shield'] as const;
export type WearSlot = (typeof WEAR_SLOTS)[number];

/** How a slot reads in a sentence: "worn on the head", "held as a shield". */
const PLACE: Record<WearSlot, string> = {
  head: 'on your head', neck: 'around your neck', body: 'on your body', arms: 'on your arms', hands: 'on your hands',
  waist: 'about your waist', legs: 'on your legs', feet: 'on your feet', shield: 'as a shield',
};

export function slotOf(item: Ref, world: WorldView): WearSlot | undefined {
  const def = itemDef(item, world);
  const slot = def?.kind === 'armor' ? def.props.slot : undefined;
  return typeof slot === 'string' && (WEAR_SLOTS as readonly string[]).includes(slot) ? (slot as WearSlot) : undefined;
}

/** slot -> the item worn there. */
export function wornOf(s: PlayerState): Partial<Record<WearSlot, Ref>> {
  return s.worn && typeof s.worn === 'object' && !Array.isArray(s.worn) ? (s.worn as Partial<Record<WearSlot, Ref>>) : {};
}

export function wornSlot(s: PlayerState, item: Ref): WearSlot | undefined {
  const worn = wornOf(s);
  return WEAR_SLOTS.find((slot) => worn[slot] === item);
}

/** Damage every blow loses to what the player wears. */
export function armorOf(s: PlayerState, world: WorldView): number {
  let total = 0;
  for (const item of Object.values(wornOf(s))) {
    const armor = item ? itemDef(item, world)?.props.armor : undefined;
    if (typeof armor === 'number') total += armor;
  }
  return total;
}

/** The player without `items` worn (they left the inventory). */
export function withoutWorn(s: PlayerState, items: readonly Ref[]): PlayerState {
  const worn = wornOf(s);
  if (!Object.values(worn).some((r) => r && items.includes(r))) return s;
  return { ...s, worn: Object.fromEntries(Object.entries(worn).filter(([, r]) => !items.includes(r as Ref))) as Record<string, Ref> };
}

/** "a leather cap (worn on your head)" in lists of what the player carries. */
export function wornNote(s: PlayerState, item: Ref): string {
  const slot = wornSlot(s, item);
  return slot ? ` (worn ${PLACE[slot]})` : '';
}

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

export const equipmentCommands: Record<string, Handler> = {
  wear(s, m, ctx) {
    const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
    if (!item) return ctx.tell(ctx.self, styled('error', "You aren't carrying that."));
    const name = nameOf(item, ctx.world);
    const slot = slotOf(item, ctx.world);
    if (!slot) return ctx.tell(ctx.self, styled('error', `You can't wear ${name}.`));
    const worn = wornOf(s);
    if (worn[slot] === item) return ctx.tell(ctx.self, `You are already wearing ${name}.`);
    if (worn[slot]) return ctx.tell(ctx.self, styled('error', `You are already wearing ${nameOf(worn[slot]!, ctx.world)} ${PLACE[slot]}. ("remove" it first.)`));
    if (s.wielded === item) return ctx.tell(ctx.self, styled('error', `You are wielding ${name}.`));
    ctx.tell(ctx.self, `You wear ${name} ${PLACE[slot]}.`);
    ctx.tellRoom(s.room, `${displayName(ctx.self)} wears ${name}.`, [ctx.self]);
    return { ...s, worn: { ...worn, [slot]: item } };
  },
  remove(s, m, ctx) {
    const worn = Object.values(wornOf(s)).filter((r): r is Ref => !!r);
    const item = findTarget(m.target as Target, worn, ctx.world).ref;
    if (!item) return ctx.tell(ctx.self, styled('error', "You aren't wearing that."));
    const name = nameOf(item, ctx.world);
    ctx.tell(ctx.self, `You take off ${name}.`);
    ctx.tellRoom(s.room, `${displayName(ctx.self)} takes off ${name}.`, [ctx.self]);
    return withoutWorn(s, [item]);
  },
  equipment(s, _m, ctx) {
    const worn = wornOf(s);
    const lines = WEAR_SLOTS.map((slot) => `  ${`<${slot}>`.padEnd(9)} ${worn[slot] ? nameOf(worn[slot]!, ctx.world) : 'nothing'}`);
    const wield = `  ${'<wield>'.padEnd(9)} ${s.wielded ? nameOf(s.wielded, ctx.world) : 'nothing'}`;
    const armor = armorOf(s, ctx.world);
    ctx.tell(ctx.self, `You are using:\n${lines.join('\n')}\n${wield}\nYour armour turns aside ${armor} damage a blow.`);
  },
};
