import type { Json, Ref, TurnCtx, WorldView } from './types.js';
import { refName } from './types.js';
import { displayName, nameOf } from '../commands/matching.js';
import { roomNumber } from './room-number.js';
import { unstyled } from './text-style.js';
import { DIRECTION_ALIASES } from '../commands/directions.js';
import { areaName } from './area.js';
import { doorStates } from './doors.js';

// The structured data a turn emits for clients (the `emit` effect), named and
// shaped as GMCP packages so Mudlet, its generic mapper and other GMCP clients
// read it as is; the browser client reads the same packages. Built here, once,
// so every protocol gets the same facts.

/** Packages a player's session reads itself (`Char.Vitals` for its prompt, portal/prompt-format.ts):
 *  emitted to the player whether or not their client takes out-of-band data. */
export const SESSION_PACKAGES: ReadonlySet<string> = new Set(['Char.Vitals']);

/** north -> n, ..., up -> u; in and out stay as they are. */
const SHORT: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(DIRECTION_ALIASES).map(([short, full]) => [full, short]));
/** A direction as GMCP mappers name it (n, ne, u, in). */
export const mapperDirection = (dir: string): string => SHORT[dir] ?? dir;

/** A room's `Char.Items.List` to everyone in it, when its contents changed (`dead`: creatures lying dead). */
export function emitRoomItems(contents: readonly Ref[], ctx: TurnCtx, dead?: readonly Ref[]): void {
  if (ctx.wantsData(ctx.self)) ctx.emit(ctx.self, 'Char.Items.List', itemsList('room', contents, ctx.world, null, dead));
}

/** How many people a room's player list names: a 1,000-guest room sends a bounded list. */
const LISTED_PLAYERS = 50;

/** `Room.Info`: what Mudlet's mappers read (num, name, area, environment, exits dir -> num), with the
 *  exits keyed by IRE's short directions (n, ne, u, in) as GMCP mappers expect; the doors on
 *  them (`doors`: dir -> open, closed or locked) from the room state's record (world/core/doors.ts). */
export function roomInfo(room: Ref, world: WorldView, doors?: Json): Json {
  const def = world.def(room);
  const exits: Record<string, number> = {};
  const info: { [key: string]: Json } = {
    num: roomNumber(room),
    id: room.replace(/~\d+$/, ''),
    name: unstyled(def?.name ?? refName(room)),
    area: areaName(room, world),
    environment: (def?.kind === 'room' && def.environment) || 'room',
    exits,
  };
  if (def?.kind !== 'room') return info;
  for (const [dir, to] of Object.entries(def.exits)) exits[SHORT[dir] ?? dir] = roomNumber(to);
  if (def.doors) {
    const states = doorStates(doors, def, world);
    info.doors = Object.fromEntries(Object.entries(states).map(([dir, state]) => [SHORT[dir] ?? dir, state]));
  }
  return info;
}

/** A room's `Room.Info` to everyone in it, when its doors changed. */
export function emitRoomInfo(s: { doors?: Json }, ctx: TurnCtx): void {
  if (ctx.wantsData(ctx.self)) ctx.emit(ctx.self, 'Room.Info', roomInfo(ctx.self, ctx.world, s.doors));
}

/** `Char.Items.List`: things carried ("inv") or lying in the room ("room").
 *  attrib letters as IRE's GMCP: l = wielded, w = worn, c = container, t = takeable, m = a creature, d = dead. */
export function itemsList(location: 'inv' | 'room', items: readonly Ref[], world: WorldView, wielded?: Ref | null, dead?: readonly Ref[] | null, worn?: readonly Ref[]): Json {
  return {
    location,
    items: items.map((ref) => {
      const def = world.def(ref);
      let attrib = ref === wielded ? 'l' : worn?.includes(ref) ? 'w' : '';
      if (def?.kind === 'container' || def?.kind === 'corpse') attrib += 'c';
      if (def?.kind === 'npc') attrib += dead?.includes(ref) ? 'md' : 'm';
      if (def && 'takeable' in def && def.takeable) attrib += 't';
      const item: { [key: string]: Json } = { id: ref, name: unstyled(nameOf(ref, world)) };
      if (attrib) item.attrib = attrib;
      return item;
    }),
  };
}

/** `Room.Players`: who is here, the viewer included, as IRE's list of { name, fullname }
 *  (bounded: a 1,000-guest room names its first fifty). */
export function roomPlayers(occupants: readonly Ref[]): Json {
  return occupants.slice(0, LISTED_PLAYERS).map(person);
}

/** `Room.AddPlayer` / `Char.Name`: one person. */
export function person(player: Ref): { name: string; fullname: string } {
  return { name: refName(player), fullname: displayName(player) };
}

/** `Comm.Channel.Text`: a say, an emote, a tell or a channel line as chat clients file it. */
export function channelText(channel: string, talker: Ref, text: string): Json {
  return { channel, talker: displayName(talker), text: unstyled(text) };
}

/** The player whose words a channel line's data carries (`channelText`'s talker), if it names one. */
export function talkerOf(data: Json): Ref | undefined {
  const talker = data !== null && typeof data === 'object' && !Array.isArray(data) ? data.talker : undefined;
  return typeof talker === 'string' ? `player/${talker.toLowerCase()}` : undefined;
}

/** `Char.Status`: what the game knows about a character (there are no vitals yet: no health, no mana). */
export function charStatus(player: Ref, room: Ref, world: WorldView, carrying: number, wielded: Ref | null): Json {
  return {
    name: displayName(player),
    room: unstyled(world.def(room)?.name ?? room),
    area: areaName(room, world),
    carrying,
    wielded: wielded ? unstyled(nameOf(wielded, world)) : null,
  };
}
