import type { Kind } from '../core/kind.js';
import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { displayName, findTarget, nameOf, type Target } from '../commands/matching.js';
import { groupNames } from '../core/grouped-names.js';
import { groupedList, itemCommands, receiveOffer, resolve } from './player-items.js';
import { hearTell, hearWhisper, talkCommands } from './player-talk.js';
import { exploreCommands } from './player-explore.js';
import { actCommands } from './player-acts.js';
import { groupCommands, groupHandlers, leadFollowers, leaveGroup } from './player-group.js';
import { baseRoom } from './room-shards.js';
import { isDirection } from '../commands/directions.js';
import { walk } from '../core/walking.js';
import { itemDef } from './item.js';
import { charStatus, itemsList, person } from '../core/client-data.js';
import { styled } from '../core/text-style.js';
import { combatCommands, combatHandlers, stopFighting } from './combat.js';
import { progressCommands, progressHandlers } from '../core/progress.js';
import { equipmentCommands, wornNote, wornOf } from '../core/equipment.js';
import { coinCommands, receiveCoins } from './player-coins.js';
import { receiveBought, shopCommands } from './player-shop.js';
import { leaveTrade, tradeCommands, tradeHandlers } from './player-trade.js';
import { linkCommands, linklessArrives, withLink } from './player-link.js';
import { mailCommands, mailHandlers, unreadNotice } from './player-mail.js';
import { questCommands, questHandlers } from './player-quests.js';
import { healthHandlers, keepRegenerating, notStanding, positionCommands, positionOf, vitals, vitalsChanged, type Position } from '../core/health.js';

export interface PlayerState {
  room: Ref;
  inventory: Ref[];
  wielded: Ref | null;
  /** Hit points; absent means whole (world/core/health.ts). */
  hp?: number;
  /** Standing when absent; resting and sleeping heal faster (world/core/health.ts). */
  position?: Position;
  /** The pending regeneration tick, while hurt. */
  regenTimer?: string | null;
  /** Flee on one's own when a blow leaves this many hit points or fewer (`wimpy`, world/kinds/combat.ts). */
  wimpy?: number;
  /** The creature being fought, and the pending round timer. */
  fighting?: Ref | null;
  roundTimer?: string | null;
  vars?: Json;
  /** What others see on `look <player>` (the `describe` command). */
  description?: string;
  /** Logged in now: tells reach the player (see player-talk.ts). */
  online?: boolean;
  /** Who sent the last tell, for `reply`. */
  replyTo?: Ref;
  /** The names of the players this one ignores: their tells and whispers are refused (player-talk.ts). The
   *  session keeps the list with the player's settings and sends it here (portal/player/player-ignores.ts). */
  ignoring?: string[];
  /** The connection dropped and the character stays a while (player-link.ts): tells are refused meanwhile. */
  linkless?: boolean;
  /** Away from the keyboard (`afk`, player-talk.ts): its message, told to whoever sends a tell. */
  away?: string;
  /** Letters unread in the player's mailbox (world/kinds/mailbox.ts), told at login; absent when none. */
  unread?: number;
  /** The journal (`quests`): the quests builders' scripts gave this player (world/kinds/player-quests.ts). */
  quests?: Json;
  [key: string]: Json | undefined;
}

/** The longest description a player may give themselves. */
export const DESCRIPTION_LIMIT = 240;
const SELF_WORDS = new Set(['me', 'self', 'myself']);

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

const commands: Record<string, Handler> = {
  ...itemCommands,
  ...talkCommands,
  ...exploreCommands,
  ...actCommands,
  ...groupCommands,
  look(s, m, ctx) {
    const target = m.target as Target | undefined;
    if (!target) {
      charData(s, ctx); // a fresh look is also a fresh start for the client's panel (a reconnect runs one)
      return ctx.send(s.room, { type: 'look', player: ctx.self });
    }
    const word = target.words.join(' ');
    if (target.n === 1 && SELF_WORDS.has(word) && !m.inside) return ctx.tell(ctx.self, describePlayer(s, ctx, true));
    const exit = ctx.world.def(s.room);
    if (target.n === 1 && isDirection(word) && exit?.kind === 'room' && !m.inside) {
      // The room answers: it knows the doors on its exits (world/kinds/room-ways.ts).
      if (exit.exits[word]) return ctx.send(s.room, { type: 'lookWay', player: ctx.self, dir: word });
      return ctx.tell(ctx.self, `There is no exit ${word}.`);
    }
    const where = resolve(s, target, ctx);
    if ('held' in where) return ctx.send(where.held, { type: 'examine', player: ctx.self });
    ctx.send(s.room, { type: 'forward', player: ctx.self, target: where.inRoom, players: !m.inside, action: { type: 'examine' } });
  },
  go(s, m, ctx) {
    const def = ctx.world.def(s.room);
    if (def?.kind !== 'room' || !def.exits[m.dir as string]) return ctx.tell(ctx.self, styled('error', "You can't go that way."));
    const down = notStanding(s);
    if (down) return ctx.tell(ctx.self, styled('error', down));
    // A fight is left by fleeing (a random way out), not by walking off the way one chooses; a creature no longer
    // in the world (a reload without it, a wizard's @destroy) answers no blow, and holds no one.
    if (s.fighting && ctx.world.def(s.fighting as Ref)) return ctx.tell(ctx.self, styled('error', `You are fighting ${nameOf(s.fighting as Ref, ctx.world)}! Type "flee" to run for it.`));
    walk(ctx.self, s.room, m.dir as string, ctx);
    if (s.fighting) return stopFighting(s, ctx);
  },
  describe(s, m, ctx) {
    const text = m.text as string;
    if (text.length > DESCRIPTION_LIMIT) return ctx.tell(ctx.self, styled('error', `A description is at most ${DESCRIPTION_LIMIT} characters; that one has ${text.length}.`));
    ctx.tell(ctx.self, `Others now see: ${text}`);
    return { ...s, description: text };
  },
  inventory(s, _m, ctx) {
    if (!s.inventory.length) return ctx.tell(ctx.self, 'You are carrying nothing.');
    const names = groupNames(s.inventory.map((r) => `${nameOf(r, ctx.world)}${r === s.wielded ? ' (wielded)' : ''}${wornNote(s, r)}`));
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
  ...positionCommands,
  ...progressCommands,
  ...equipmentCommands,
  ...coinCommands,
  ...shopCommands,
  ...tradeCommands,
  ...linkCommands,
  ...mailCommands,
  ...questCommands,
};

const handlers: Record<string, Handler> = {
  cmd(s, m, ctx) {
    // A player who never entered (the login's `connect` failed: the store was unreachable, and a connect is not
    // tried for ever) stands in no room: the command would send to the room '', where no message can land, and
    // stay unanswered. They enter now, as the connect would have, and are shown where they are instead.
    if (!s.room) return handlers.connect(s, m, ctx);
    const command = commands[m.verb as string];
    if (!command) return ctx.tell(ctx.self, styled('error', `You can't ${m.verb} here.`));
    return command(s, m, ctx);
  },
  /** Logged in: appear in the room the player was last in (a shard's crowd may be gone: use its base). */
  connect(s, _m, ctx) {
    charData(s, ctx);
    unreadNotice(s, ctx);
    const room = ctx.world.def(s.room) ? baseRoom(s.room) : ctx.world.startRoom;
    ctx.send(room, { type: 'enter', player: ctx.self, name: displayName(ctx.self), from: null, dir: null });
    // A crash may have left the player marked link-dead, here and in the room: a login clears both.
    if (s.linkless === true) ctx.send(room, { type: 'linkless', player: ctx.self, lost: false, quiet: true });
    // A crash may have kept a group its players never left: a login starts outside any.
    const fresh = withLink(leaveGroup(s, ctx));
    // Online, for tells: a tell to a player who is away is answered so.
    return s.online && fresh === s ? undefined : { ...fresh, online: true };
  },
  disconnect(s, _m, ctx) {
    // A player who never entered (a login the store failed, reaped with its gateway) stands in no room.
    if (s.room) ctx.send(s.room, { type: 'exit', player: ctx.self, name: displayName(ctx.self), to: null, dir: null });
    // No one fights on, trades on, or leads or follows anyone, in an empty body.
    const calm = withLink(leaveGroup(leaveTrade(s.fighting ? stopFighting(s, ctx) : s, ctx), ctx));
    if (calm === s && !s.online) return undefined;
    return { ...calm, online: false };
  },
  moved(s, m, ctx) {
    if (s.room === m.room) return;
    leadFollowers(s, s.room, m.room as Ref, ctx);
    linklessArrives(s, m.room as Ref, ctx);
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
  ...healthHandlers,
  ...progressHandlers,
  examine(s, m, ctx) {
    ctx.tell(m.player as Ref, describePlayer(s, ctx, m.player === ctx.self));
  },
  ...groupHandlers,
  offer: receiveOffer,
  coins: receiveCoins,
  bought: receiveBought,
  ...tradeHandlers,
  tell: hearTell,
  whispered: hearWhisper,
  ...mailHandlers,
  ...questHandlers,
};

/** What `look <player>` shows: their own description, what they wield and carry. */
function describePlayer(s: PlayerState, ctx: TurnCtx, self: boolean): string {
  const name = displayName(ctx.self);
  const lines = [styled('player', name)];
  const description = typeof s.description === 'string' ? s.description : undefined;
  lines.push(description ?? (self ? 'You look like a fellow traveller. (Set what others see with "describe <text>".)' : `${name} looks like a fellow traveller.`));
  const subject = self ? 'You are' : `${name} is`;
  lines.push(s.wielded ? `${subject} wielding ${nameOf(s.wielded, ctx.world)}.` : `${subject} empty-handed.`);
  const worn = Object.values(wornOf(s)).filter((r): r is Ref => !!r);
  if (worn.length) lines.push(`${self ? 'You wear' : 'They wear'} ${groupedList(worn, ctx)}.`);
  const others = s.inventory.filter((r) => r !== s.wielded && !worn.includes(r));
  if (others.length) lines.push(`${self ? 'You carry' : 'They carry'} ${groupedList(others, ctx)}.`);
  const position = positionOf(s);
  if (position !== 'standing') lines.push(`${subject} ${position}.`);
  if (!self && s.online === false) lines.push(`${name} seems lost in thought, far away.`);
  else if (!self && s.linkless === true) lines.push(`${name} stands motionless: their link to this world is lost.`);
  else if (!self && typeof s.away === 'string') lines.push(`${name} is away: ${s.away}.`);
  return lines.join('\n');
}

const wornItems = (s: PlayerState): Ref[] => Object.values(wornOf(s)).filter((r): r is Ref => !!r);

/** Everything a client shows about the character itself. */
function charData(s: PlayerState, ctx: TurnCtx): void {
  ctx.emit(ctx.self, 'Char.Vitals', vitals(s)); // the session reads it too (its prompt), whatever the client
  if (!ctx.wantsData(ctx.self)) return;
  ctx.emit(ctx.self, 'Char.Name', person(ctx.self));
  ctx.emit(ctx.self, 'Char.Items.List', itemsList('inv', s.inventory, ctx.world, s.wielded, null, wornItems(s)));
  if (s.room) ctx.emit(ctx.self, 'Char.Status', charStatus(ctx.self, s.room, ctx.world, s.inventory.length, s.wielded));
}

/** What the player's client shows beside the text (inventory, status), sent when it changed. */
function clientUpdates(before: PlayerState, after: PlayerState, ctx: TurnCtx): void {
  if (vitalsChanged(before, after)) ctx.emit(ctx.self, 'Char.Vitals', vitals(after));
  if (!ctx.wantsData(ctx.self)) return;
  const things = after.inventory !== before.inventory || after.wielded !== before.wielded || after.worn !== before.worn;
  if (things) ctx.emit(ctx.self, 'Char.Items.List', itemsList('inv', after.inventory, ctx.world, after.wielded, null, wornItems(after)));
  if (things || after.room !== before.room) {
    ctx.emit(ctx.self, 'Char.Status', charStatus(ctx.self, after.room, ctx.world, after.inventory.length, after.wielded));
  }
}

export const playerKind: Kind<PlayerState> = {
  name: 'player',
  init: (_ref, _def) => ({ room: '', inventory: [], wielded: null }),
  handle(state, msg, ctx) {
    const handler = handlers[msg.type];
    const handled = handler ? handler(state, msg, ctx) : undefined;
    const next = keepRegenerating(handled ?? state, ctx);
    if (next === state) return undefined;
    clientUpdates(state, next, ctx);
    return next;
  },
  here: (s) => ({ room: s.room, inventory: s.inventory }),
};
