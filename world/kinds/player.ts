import type { Kind } from '../kind.js';
import type { Json, Msg, Ref, TurnCtx } from '../types.js';
import { continueTarget, displayName, findTarget, listNames, nameOf, type Target } from '../matching.js';
import { baseRoom } from './room-shards.js';
import { isDirection, opposite } from '../directions.js';
import { itemDef } from './item.js';
import { charStatus, itemsList, person } from '../client-data.js';
import { styled } from '../text-style.js';
import { combatCommands, combatHandlers, stopFighting } from '../combat.js';

export interface PlayerState {
  room: Ref;
  inventory: Ref[];
  wielded: Ref | null;
  /** Hit points; absent means whole (world/combat.ts). */
  hp?: number;
  /** The creature being fought, and the pending round timer. */
  fighting?: Ref | null;
  roundTimer?: string | null;
  vars?: Json;
  [key: string]: Json | undefined;
}

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

const keysHeld = (s: PlayerState, ctx: TurnCtx): Ref[] => s.inventory.filter((r) => itemDef(r, ctx.world)?.kind === 'key');

/** Resolves a target in the inventory, or hands it to the room with the ordinal continued. */
function resolve(s: PlayerState, target: Target, ctx: TurnCtx): { held: Ref } | { inRoom: Target } {
  const found = findTarget(target, s.inventory, ctx.world);
  return found.ref ? { held: found.ref } : { inRoom: continueTarget(target, found.matched) };
}

function withoutItem(s: PlayerState, item: Ref): PlayerState {
  return { ...s, inventory: s.inventory.filter((r) => r !== item), wielded: s.wielded === item ? null : s.wielded };
}

const commands: Record<string, Handler> = {
  look(s, m, ctx) {
    const target = m.target as Target | undefined;
    if (!target) {
      charData(s, ctx); // a fresh look is also a fresh start for the client's panel (a reconnect runs one)
      return ctx.send(s.room, { type: 'look', player: ctx.self });
    }
    const word = target.words.join(' ');
    const exit = ctx.world.def(s.room);
    if (target.n === 1 && isDirection(word) && exit?.kind === 'room') {
      const to = exit.exits[word];
      return ctx.tell(ctx.self, to ? `To the ${word} lies ${ctx.world.def(to)?.name ?? 'somewhere'}.` : `There is no exit ${word}.`);
    }
    const where = resolve(s, target, ctx);
    if ('held' in where) return ctx.send(where.held, { type: 'examine', player: ctx.self });
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: where.inRoom, players: true, action: { type: 'examine' } });
  },
  go(s, m, ctx) {
    const dir = m.dir as string;
    const def = ctx.world.def(s.room);
    const to = def?.kind === 'room' ? def.exits[dir] : undefined;
    if (!to) return ctx.tell(ctx.self, styled('error', "You can't go that way."));
    ctx.send(s.room, { type: 'exit', player: ctx.self, name: displayName(ctx.self), dir, to, fromDir: opposite(dir) });
  },
  take(s, m, ctx) {
    const target = m.target as Target;
    if (!m.from) return ctx.send(s.room, { type: 'take', player: ctx.self, target });
    const where = resolve(s, m.from as Target, ctx);
    const give = { type: 'give', target, room: s.room };
    if ('held' in where) return ctx.send(where.held, { ...give, player: ctx.self });
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: where.inRoom, action: give });
  },
  drop(s, m, ctx) {
    const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
    if (!item) return ctx.tell(ctx.self, styled('error', "You aren't carrying that."));
    ctx.send(s.room, { type: 'drop', player: ctx.self, item });
    return withoutItem(s, item);
  },
  put(s, m, ctx) {
    const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
    if (!item) return ctx.tell(ctx.self, styled('error', "You aren't carrying that."));
    const where = resolve(s, m.into as Target, ctx);
    if ('held' in where) ctx.send(where.held, { type: 'accept', player: ctx.self, item, room: s.room });
    else ctx.send(s.room, { type: 'forward', player: ctx.self, target: where.inRoom, item, action: { type: 'accept', item } });
    return withoutItem(s, item);
  },
  inventory(s, _m, ctx) {
    if (!s.inventory.length) return ctx.tell(ctx.self, 'You are carrying nothing.');
    const names = s.inventory.map((r) => `${nameOf(r, ctx.world)}${r === s.wielded ? ' (wielded)' : ''}`);
    ctx.tell(ctx.self, `You are carrying:\n  ${names.join('\n  ')}`);
  },
  wield(s, m, ctx) {
    const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
    if (!item) return ctx.tell(ctx.self, styled('error', "You aren't carrying that."));
    const kind = itemDef(item, ctx.world)?.kind;
    if (kind !== 'weapon' && kind !== 'magic_weapon') return ctx.tell(ctx.self, `You can't wield ${nameOf(item, ctx.world)}.`);
    if (s.wielded === item) return ctx.tell(ctx.self, `You are already wielding ${nameOf(item, ctx.world)}.`);
    if (s.wielded) ctx.send(s.wielded, { type: 'unwielded', player: ctx.self, room: s.room });
    ctx.tell(ctx.self, `You wield ${nameOf(item, ctx.world)}.`);
    ctx.send(item, { type: 'wielded', player: ctx.self, room: s.room });
    return { ...s, wielded: item };
  },
  unwield(s, _m, ctx) {
    if (!s.wielded) return ctx.tell(ctx.self, 'You are not wielding anything.');
    ctx.tell(ctx.self, `You lower ${nameOf(s.wielded, ctx.world)}.`);
    ctx.send(s.wielded, { type: 'unwielded', player: ctx.self, room: s.room });
    return { ...s, wielded: null };
  },
  say(s, m, ctx) {
    ctx.send(s.room, { type: 'say', player: ctx.self, name: displayName(ctx.self), text: m.text });
  },
  emote(s, m, ctx) {
    ctx.send(s.room, { type: 'emote', player: ctx.self, name: displayName(ctx.self), text: m.text });
  },
  ...combatCommands,
};

for (const verb of ['open', 'close', 'lock', 'unlock']) {
  commands[verb] = (s, m, ctx) => {
    const where = resolve(s, m.target as Target, ctx);
    const action = { type: verb, keys: keysHeld(s, ctx) };
    if ('held' in where) return ctx.send(where.held, { ...action, player: ctx.self, room: s.room });
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: where.inRoom, action });
  };
}

const handlers: Record<string, Handler> = {
  cmd(s, m, ctx) {
    const command = commands[m.verb as string];
    if (!command) return ctx.tell(ctx.self, styled('error', `You can't ${m.verb} here.`));
    return command(s, m, ctx);
  },
  /** Logged in: appear in the room the player was last in (a shard's crowd may be gone: use its base). */
  connect(s, _m, ctx) {
    charData(s, ctx);
    const room = ctx.world.def(s.room) ? baseRoom(s.room) : ctx.world.startRoom;
    ctx.send(room, { type: 'enter', player: ctx.self, name: displayName(ctx.self), from: null, dir: null });
  },
  disconnect(s, _m, ctx) {
    ctx.send(s.room, { type: 'exit', player: ctx.self, name: displayName(ctx.self), to: null, dir: null });
    if (s.fighting) return stopFighting(s, ctx); // no one fights on in an empty body
  },
  moved(s, m, ctx) {
    if (s.room === m.room) return;
    const next = { ...s, room: m.room as Ref };
    return s.fighting ? stopFighting(next, ctx) : next; // a fight stays in its room
  },
  receive(s, m, ctx) {
    if (typeof m.text === 'string') ctx.tell(ctx.self, m.text);
    const item = m.item as Ref;
    if (s.inventory.includes(item)) return;
    return { ...s, inventory: [...s.inventory, item] };
  },
  ...combatHandlers,
  examine(s, m, ctx) {
    const wielding = s.wielded ? ` ${displayName(ctx.self)} is wielding ${nameOf(s.wielded, ctx.world)}.` : '';
    const carrying = s.inventory.length ? ` They carry ${listNames(s.inventory.filter((r) => r !== s.wielded).map((r) => nameOf(r, ctx.world))) || 'nothing else'}.` : '';
    ctx.tell(m.player as Ref, `${displayName(ctx.self)} is a fellow traveller.${wielding}${carrying}`);
  },
};

/** Everything a client shows about the character itself. */
function charData(s: PlayerState, ctx: TurnCtx): void {
  ctx.emit(ctx.self, 'Char.Name', person(ctx.self));
  ctx.emit(ctx.self, 'Char.Items.List', itemsList('inv', s.inventory, ctx.world, s.wielded));
  if (s.room) ctx.emit(ctx.self, 'Char.Status', charStatus(ctx.self, s.room, ctx.world, s.inventory.length, s.wielded));
}

/** What the player's client shows beside the text (inventory, status), sent when it changed. */
function clientUpdates(before: PlayerState, after: PlayerState, ctx: TurnCtx): void {
  const things = after.inventory !== before.inventory || after.wielded !== before.wielded;
  if (things) ctx.emit(ctx.self, 'Char.Items.List', itemsList('inv', after.inventory, ctx.world, after.wielded));
  if (things || after.room !== before.room) {
    ctx.emit(ctx.self, 'Char.Status', charStatus(ctx.self, after.room, ctx.world, after.inventory.length, after.wielded));
  }
}

export const playerKind: Kind<PlayerState> = {
  name: 'player',
  init: (_ref, _def) => ({ room: '', inventory: [], wielded: null }),
  handle(state, msg, ctx) {
    const handler = handlers[msg.type];
    const next = handler ? handler(state, msg, ctx) : undefined;
    if (next) clientUpdates(state, next, ctx);
    return next;
  },
  here: (s) => ({ room: s.room, inventory: s.inventory }),
};
