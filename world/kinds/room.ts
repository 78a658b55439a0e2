import type { Kind } from '../core/kind.js';
import { fromPhrase } from '../commands/directions.js';
import { describeRoom, findInRoom } from './room-view.js';
import { baseRoom, routeEntry, shardIndex, shardReport } from './room-shards.js';
import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { allOf, displayName, listNames, nameOf, type Target, targetPhrase } from '../commands/matching.js';
import { groupNames } from '../core/grouped-names.js';
import { ALL_AT_ONCE } from './player-items.js';
import { styled } from '../core/text-style.js';
import { withRef, withoutRef } from '../core/ref-lists.js';
import { channelText, emitRoomItems, itemsList, person, roomInfo, roomPlayers } from '../core/client-data.js';
import { refName } from '../core/types.js';
import { noticeNpcs, npcMoves } from './room-npcs.js';
import { extraText, findDoor, roomWays, wayWithoutDoor } from './room-ways.js';
import { roomActs } from './room-acts.js';
import { emoteLine } from '../commands/socials.js';
import { appearLine, regrow, respawnItems, watchRespawns } from '../core/item-respawn.js';
import { mapData } from '../core/room-map.js';
import { linkMoves, withLinkBack } from './room-links.js';
import { remainsMoves } from './room-remains.js';
import { roomBuilding } from './room-building.js';
import { roomCoins } from './room-coins.js';
import { lootLine, toldAlready } from './falling-loot.js';
import { roomShop } from './room-shop.js';
import { coinsOf, coinWords, sendCoins, withCoins } from '../core/coins.js';
import { roomMerges } from './room-merge.js';

export interface RoomState {
  contents: Ref[];
  occupants: Ref[];
  /** Creatures here lying dead, until they rise (world/kinds/room-remains.ts). */
  fallen?: Ref[];
  /** On a base room with sharding on: open shards and their head counts. */
  shards?: Record<string, number>;
  /** Players here standing link-dead (world/kinds/room-links.ts). */
  linkless?: Ref[];
  /** The doors on its exits as they last told it (world/core/doors.ts); absent: as declared. */
  doors?: Record<string, string>;
  vars?: Json;
  [key: string]: Json | undefined;
}

type RoomHandler = (s: RoomState, m: Msg, ctx: TurnCtx) => RoomState | void;

const handlers: Record<string, RoomHandler> = {
  look(s, m, ctx) {
    const player = m.player as Ref;
    ctx.tell(player, describeRoom(s, ctx.self, ctx.world, player));
    roomData(s, player, ctx);
  },

  enter(s, m, ctx) {
    const player = m.player as Ref;
    const routed = routeEntry(s, m, ctx);
    if (routed) return routed;
    const occupants = s.occupants.includes(player) ? s.occupants : withRef(s.occupants, player);
    const next = { ...s, occupants };
    ctx.tellRoom(ctx.self, `${displayName(player)} arrives ${fromPhrase(m.dir as string | null)}.`, [player]);
    ctx.located(player, ctx.self);
    ctx.send(player, { type: 'moved', room: ctx.self });
    ctx.tell(player, describeRoom(next, ctx.self, ctx.world, player));
    roomData(next, player, ctx);
    if (ctx.wantsData(ctx.self)) ctx.emit(ctx.self, 'Room.AddPlayer', person(player), [player]);
    shardReport(next, ctx);
    return next;
  },

  exit(s, m, ctx) {
    const player = m.player as Ref;
    const next = withLinkBack({ ...s, occupants: withoutRef(s.occupants, player) }, player);
    const dir = m.dir as string | null;
    // Out of this room's audience at once, so what is said here after (a script's farewell) goes to those who stay.
    ctx.located(player, null);
    ctx.emit(ctx.self, 'Room.RemovePlayer', refName(player));
    ctx.tellRoom(ctx.self, dir ? `${displayName(player)} leaves ${dir}.` : `${displayName(player)} fades from view.`, [player]);
    if (m.to) ctx.send(baseRoom(m.to as Ref), { type: 'enter', player, name: displayName(player), from: ctx.self, dir: m.fromDir ?? null });
    shardReport(next, ctx);
    return next;
  },

  say(s, m, ctx) {
    const player = m.player as Ref;
    const line = `${displayName(player)} says, "${m.text}"`;
    ctx.tell(player, styled('say', `You say, "${m.text}"`));
    ctx.tellRoom(ctx.self, styled('say', line), [player], player);
    ctx.emit(ctx.self, 'Comm.Channel.Text', channelText('say', player, line));
  },

  emote(s, m, ctx) {
    const line = emoteLine(displayName(m.player as Ref), m.text as string);
    ctx.tellRoom(ctx.self, styled('emote', line), undefined, m.player as Ref);
    ctx.emit(ctx.self, 'Comm.Channel.Text', channelText('emote', m.player as Ref, line));
  },

  /** One player to another here: the room sees that it happened, not what was said. */
  whisper(s, m, ctx) {
    const player = m.player as Ref;
    const to = m.to as Ref;
    if (!s.occupants.includes(to)) return ctx.tell(player, styled('error', `You don't see ${displayName(to)} here.`));
    // The one whispered to hears it in their own turn (world/kinds/player-talk.ts), which knows whom they ignore.
    ctx.send(to, { type: 'whispered', player, text: m.text, room: ctx.self });
  },

  /** A player's command about a thing in this room: pass it to that thing. */
  forward(s, m, ctx) {
    const player = m.player as Ref;
    const found = findInRoom(s, m.target as Target, ctx.world, m.players === true) ?? findDoor(ctx.self, m.target as Target, ctx.world);
    const action = m.action as { type: string; [k: string]: Json };
    const extra = !found && action.type === 'examine' ? extraText(ctx.self, m.target as Target, ctx.world) : undefined;
    if (extra) return ctx.tell(player, extra);
    if (!found) return missing(m, ctx);
    ctx.send(found, { ...action, player, room: ctx.self });
  },

  take(s, m, ctx) {
    const player = m.player as Ref;
    if (m.all === true) return takeAll(s, player, m.of as Target | undefined, ctx);
    const item = findInRoom(s, m.target as Target, ctx.world, false);
    if (!item) return missing(m, ctx);
    const def = ctx.world.def(item);
    if (!def || !('takeable' in def) || !def.takeable) {
      ctx.tell(player, styled('error', `You can't take ${nameOf(item, ctx.world)}.`));
      return;
    }
    ctx.send(player, { type: 'receive', item, text: `You take ${def.name}.` });
    ctx.tellRoom(ctx.self, `${displayName(player)} takes ${def.name}.`, [player]);
    return withContents(s, s.contents.filter((r) => r !== item), ctx);
  },

  drop(s, m, ctx) {
    const player = m.player as Ref;
    const item = m.item as Ref;
    if (s.contents.includes(item)) return;
    // `drop all` told the player and the room once, for every item.
    if (m.quiet !== true) {
      ctx.tell(player, `You drop ${nameOf(item, ctx.world)}.`);
      ctx.tellRoom(ctx.self, `${displayName(player)} drops ${nameOf(item, ctx.world)}.`, [player]);
    }
    return withContents(s, [...s.contents, item], ctx);
  },

  /** Something eaten comes home (world/kinds/player-acts.ts): it fills its place, or a copy is let go. */
  regrow(s, m, ctx) {
    const back = regrow(s.contents, m.item as Ref);
    if (back.letGo) ctx.send(back.letGo, { type: 'eaten', item: back.letGo });
    return back.contents.length === s.contents.length && back.contents.every((r, i) => r === s.contents[i]) ? undefined : withContents(s, back.contents, ctx);
  },

  /** A slain creature's loot falls here (world/kinds/npc.ts). */
  loot(s, m, ctx) {
    const item = m.item as Ref;
    if (s.contents.includes(item)) return;
    if (m.quiet !== true) ctx.tellRoom(ctx.self, lootLine(item, m.from as Ref, ctx.world), toldAlready(m));
    const contents = [...s.contents, item];
    emitRoomItems(contents, ctx, s.fallen);
    return { ...s, contents };
  },

  /** Its respawn timer: new copies of the starting items gone long enough (world/core/item-respawn.ts). */
  respawn(s, m, ctx) {
    const done = respawnItems(s, m, startingItems(ctx), ctx);
    if (!done?.made.length) return done?.state;
    ctx.tellRoom(ctx.self, appearLine(done.made, ctx.world));
    return withContents(done.state, done.state.contents, ctx);
  },

  shardCount(s, m, ctx) {
    const shards = { ...(s.shards ?? {}) };
    const key = String(m.shard);
    if ((m.count as number) > 0) shards[key] = m.count as number;
    else if (key in shards) {
      delete shards[key];
      ctx.log('info', `shard ${ctx.self}~${key} retired`);
    }
    return { ...s, shards };
  },
};

/** get all: every takeable thing (up to ALL_AT_ONCE) to the player, each in its own `receive`, and the coins; with
 *  all.X (`of`), only what X names, the coins left lying. */
function takeAll(s: RoomState, player: Ref, of: Target | undefined, ctx: TurnCtx): RoomState | void {
  const items = allOf(s.contents, of, ctx.world).filter((r) => isTakeable(r, ctx)).slice(0, ALL_AT_ONCE);
  const coins = of ? 0 : coinsOf(s);
  // Coins on the floor go with everything else (world/core/coins.ts).
  if (coins > 0) {
    sendCoins(ctx, player, coins, { text: `You pick up ${coinWords(coins)}.` });
    if (!items.length) ctx.tellRoom(ctx.self, `${displayName(player)} picks up some coins.`, [player]);
    s = withCoins(s, -coins);
    if (!items.length) return s;
  }
  if (!items.length) return ctx.tell(player, of ? `There is nothing called "${targetPhrase(of)}" here you can take.` : 'There is nothing here you can take.');
  const list = listNames(groupNames(items.map((r) => nameOf(r, ctx.world))));
  ctx.tellRoom(ctx.self, `${displayName(player)} takes ${list}.`, [player]);
  // One line for the player however many things move: with the first, the rest quietly.
  items.forEach((item, i) => ctx.send(player, { type: 'receive', item, text: i === 0 ? `You take ${list}.` : null }));
  return withContents(s, s.contents.filter((r) => !items.includes(r)), ctx);
}

/** The items the world files start this room with: a shard starts empty. */
function startingItems(ctx: TurnCtx): readonly Ref[] {
  const def = ctx.world.def(ctx.self);
  return def?.kind === 'room' && shardIndex(ctx.self) === 0 ? def.items : [];
}

function isTakeable(ref: Ref, ctx: TurnCtx): boolean {
  const def = ctx.world.def(ref);
  return !!def && 'takeable' in def && def.takeable;
}

function withContents(s: RoomState, contents: Ref[], ctx: TurnCtx): RoomState {
  emitRoomItems(contents, ctx, s.fallen);
  return { ...s, contents };
}

/** What a client's map and side panel show of the room, for one player (on arrival, on look). */
function roomData(s: RoomState, player: Ref, ctx: TurnCtx): void {
  // A 50-name player list costs more than the look that sends it: built only for a client that takes it.
  if (!ctx.wantsData(player)) return;
  ctx.emit(player, 'Room.Info', roomInfo(ctx.self, ctx.world, s.doors));
  ctx.emit(player, 'Room.Players', roomPlayers(s.occupants));
  ctx.emit(player, 'Char.Items.List', itemsList('room', s.contents, ctx.world, null, s.fallen));
  ctx.emit(player, 'Lattice.Map', mapData(ctx.self, ctx.world));
}

/** Nothing matched: say so, and hand back an item the player had let go of. */
function missing(m: Msg, ctx: TurnCtx): void {
  const player = m.player as Ref;
  if (m.item) ctx.send(player, { type: 'receive', item: m.item, text: null });
  sendCoins(ctx, player, typeof m.coins === 'number' ? m.coins : 0);
  if (m.quiet === true) return; // told once for a `put all`
  ctx.tell(player, styled('error', wayWithoutDoor(ctx.self, m, ctx.world) ?? `You don't see "${targetPhrase(m.target as Target)}" here.`));
}

export const roomKind: Kind<RoomState> = {
  name: 'room',
  merges: roomMerges,
  init(ref, def) {
    if (shardIndex(ref) > 0) return { contents: [], occupants: [] };
    return { contents: def && def.kind === 'room' ? [...def.items] : [], occupants: [] };
  },
  handle(state, msg, ctx) {
    const handler = handlers[msg.type] ?? roomCoins[msg.type] ?? roomShop[msg.type] ?? npcMoves[msg.type] ?? remainsMoves[msg.type] ?? linkMoves[msg.type] ?? roomWays[msg.type] ?? roomActs[msg.type] ?? roomBuilding[msg.type];
    let next = handler ? handler(state, msg, ctx) : undefined;
    // A destroyed item is not taken: nothing grows back in its place.
    if (next && msg.type !== 'respawn' && msg.type !== 'unbuild') next = watchRespawns(state, next, startingItems(ctx), ctx);
    noticeNpcs(next ?? state, msg, ctx);
    return next;
  },
  here(state, ref, world) {
    return {
      name: world.def(ref)?.name ?? ref,
      occupantCount: state.occupants.length,
      // Bounded: a script hook on a 1,000-guest room must not copy the whole crowd per turn.
      occupants: state.occupants.slice(0, 50).map((r) => ({ ref: r, name: displayName(r) })),
      contents: state.contents.map((r) => ({ ref: r, name: nameOf(r, world) })),
    };
  },
};
