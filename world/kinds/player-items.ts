import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { allOf, continueTarget, displayName, findTarget, listNames, nameOf, targetPhrase, type Target } from '../commands/matching.js';
import { groupNames } from '../core/grouped-names.js';
import { itemDef } from './item.js';
import { styled } from '../core/text-style.js';
import type { PlayerState } from './player.js';
import { withoutWorn } from '../core/equipment.js';

// A player's commands that move things: take, drop, put, give, and the keys
// for lock and unlock. Every move is a message protocol whose every step
// commits: the holder lets go in its own turn and the item travels in one
// message (`receive`, `drop`, `accept`, `offer`) that its next holder applies
// at most once, so an item is never in two places nor in none.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

/** At most this many things move in one `get all` / `drop all`: a bounded turn and line. */
export const ALL_AT_ONCE = 50;

/** Resolves a target in the inventory, or hands it to the room with the ordinal continued. */
export function resolve(s: PlayerState, target: Target, ctx: TurnCtx): { held: Ref } | { inRoom: Target } {
  const found = findTarget(target, s.inventory, ctx.world);
  return found.ref ? { held: found.ref } : { inRoom: continueTarget(target, found.matched) };
}

export function withoutItems(s: PlayerState, items: readonly Ref[]): PlayerState {
  // What leaves is no longer wielded or worn (world/core/equipment.ts).
  return withoutWorn({ ...s, inventory: s.inventory.filter((r) => !items.includes(r)), wielded: s.wielded && items.includes(s.wielded) ? null : s.wielded }, items);
}

const notCarried = (ctx: TurnCtx) => ctx.tell(ctx.self, styled('error', "You aren't carrying that."));
const keysHeld = (s: PlayerState, ctx: TurnCtx): Ref[] => s.inventory.filter((r) => itemDef(r, ctx.world)?.kind === 'key');

/** "two red apples and a lantern" */
export function groupedList(items: readonly Ref[], ctx: TurnCtx): string {
  return listNames(groupNames(items.map((r) => nameOf(r, ctx.world))));
}

export const itemCommands: Record<string, Handler> = {
  take(s, m, ctx) {
    const all = m.all === true;
    // `of`: what "all.X" names (every thing, without it).
    const every: { [k: string]: Json } = m.of ? { all, of: m.of } : { all };
    if (!m.from) return ctx.send(s.room, all ? { type: 'take', player: ctx.self, ...every } : { type: 'take', player: ctx.self, target: m.target });
    const where = resolve(s, m.from as Target, ctx);
    const give: { [k: string]: Json } = all ? { type: 'give', ...every, room: s.room } : { type: 'give', target: m.target as Target, room: s.room };
    if ('held' in where) return ctx.send(where.held, { ...give, type: 'give', player: ctx.self });
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: where.inRoom, action: give });
  },
  drop(s, m, ctx) {
    if (m.all === true) return dropAll(s, m.of as Target | undefined, ctx);
    const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
    if (!item) return notCarried(ctx);
    ctx.send(s.room, { type: 'drop', player: ctx.self, item });
    return withoutItems(s, [item]);
  },
  put(s, m, ctx) {
    const where = resolve(s, m.into as Target, ctx);
    const items = m.all === true
      ? allOf(s.inventory, m.of as Target | undefined, ctx.world).filter((r) => r !== s.wielded && !('held' in where && r === where.held)).slice(0, ALL_AT_ONCE)
      : [findTarget(m.target as Target, s.inventory, ctx.world).ref].filter((r): r is Ref => !!r);
    if (!items.length) return m.all === true ? nothingOf(s, m.of as Target | undefined, ctx) : notCarried(ctx);
    // Each thing travels on its own, and the container takes it or hands it back (full, closed); a refusal is told
    // with the first thing, the others come quiet.
    items.forEach((item, i) => {
      const quiet: { [k: string]: Json } = i > 0 ? { quiet: true } : {};
      if ('held' in where) ctx.send(where.held, { type: 'accept', player: ctx.self, item, room: s.room, ...quiet });
      else ctx.send(s.room, { type: 'forward', player: ctx.self, target: where.inRoom, item, action: { type: 'accept', item, ...quiet }, ...quiet });
    });
    return withoutItems(s, items);
  },
  /** give X to Y: the item leaves now and travels as `offer` through the room to Y,
   *  who keeps it or sends it back; the room returns it when Y is not there. */
  give(s, m, ctx) {
    if (m.all === true) return giveAll(s, m.to as Target, m.of as Target | undefined, ctx);
    const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
    if (!item) return notCarried(ctx);
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: m.to as Target, players: true, item, action: { type: 'offer', item } });
    return withoutItems(s, [item]);
  },
};

for (const verb of ['open', 'close', 'lock', 'unlock']) {
  itemCommands[verb] = (s, m, ctx) => {
    let keys = keysHeld(s, ctx);
    if (m.key) {
      const key = findTarget(m.key as Target, s.inventory, ctx.world).ref;
      if (!key) return notCarried(ctx);
      if (itemDef(key, ctx.world)?.kind !== 'key') return ctx.tell(ctx.self, styled('error', `${capitalFirst(nameOf(key, ctx.world))} is not a key.`));
      keys = [key];
    }
    const where = resolve(s, m.target as Target, ctx);
    const action = { type: verb, keys };
    if ('held' in where) return ctx.send(where.held, { ...action, player: ctx.self, room: s.room });
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: where.inRoom, action });
  };
}

const capitalFirst = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/** "You aren't carrying anything." (or anything that "all.X" names). */
function nothingOf(s: PlayerState, of: Target | undefined, ctx: TurnCtx): void {
  if (of && s.inventory.length) return ctx.tell(ctx.self, styled('error', `You aren't carrying anything called "${targetPhrase(of)}".`));
  ctx.tell(ctx.self, "You aren't carrying anything.");
}

/** drop all (or all.X): one line for the player and the room, then one `drop` per item (each applied once). */
function dropAll(s: PlayerState, of: Target | undefined, ctx: TurnCtx): PlayerState | void {
  const items = allOf(s.inventory, of, ctx.world).slice(0, ALL_AT_ONCE);
  if (!items.length) return nothingOf(s, of, ctx);
  const list = groupedList(items, ctx);
  ctx.tell(ctx.self, `You drop ${list}.`);
  ctx.tellRoom(s.room, `${displayName(ctx.self)} drops ${list}.`, [ctx.self]);
  for (const item of items) ctx.send(s.room, { type: 'drop', player: ctx.self, item, quiet: true });
  return withoutItems(s, items);
}

/** give all (or all.X) to Y: everything but the wielded weapon, each item its own `offer` (applied once). */
function giveAll(s: PlayerState, to: Target, of: Target | undefined, ctx: TurnCtx): PlayerState | void {
  const named = allOf(s.inventory, of, ctx.world);
  const items = named.filter((r) => r !== s.wielded).slice(0, ALL_AT_ONCE);
  if (!items.length) return named.length ? ctx.tell(ctx.self, 'You have nothing to give but what you wield.') : nothingOf(s, of, ctx);
  for (const item of items) ctx.send(s.room, { type: 'forward', player: ctx.self, target: to, players: true, item, action: { type: 'offer', item } });
  return withoutItems(s, items);
}

/** The `offer` half of give, at the receiving player. */
export function receiveOffer(s: PlayerState, m: Msg, ctx: TurnCtx): PlayerState | void {
  const item = m.item as Ref;
  if (s.inventory.includes(item)) return;
  const giver = m.player as Ref;
  const name = nameOf(item, ctx.world);
  if (giver === ctx.self) ctx.tell(ctx.self, `You keep ${name}.`);
  else {
    ctx.tell(giver, `You give ${name} to ${displayName(ctx.self)}.`);
    ctx.tell(ctx.self, `${displayName(giver)} gives you ${name}.`);
    if (m.room) ctx.tellRoom(m.room as Ref, `${displayName(giver)} gives ${name} to ${displayName(ctx.self)}.`, [giver, ctx.self]);
  }
  return { ...s, inventory: [...s.inventory, item] };
}
