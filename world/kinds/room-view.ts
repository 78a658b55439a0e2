import type { Ref, WorldView } from '../core/types.js';
import { answersTo, displayName, findTarget, keywordsOf, listNames, nameOf, type Target } from '../commands/matching.js';
import { shardIndex } from './room-shards.js';
import { renderDescription } from '../core/builder-markup.js';
import { styled } from '../core/text-style.js';
import { groupNames } from '../core/grouped-names.js';
import { exitLabel } from '../core/doors.js';
import type { RoomState } from './room.js';
import { floorCoinsLine } from './room-coins.js';
import { linklessOf } from './room-links.js';

/** How many fellow occupants `look` names before summing up the rest. */
const NAMED_OCCUPANTS = 12;

/** What `look` shows: title (and shard), description, exits, things, people. */
export function describeRoom(s: RoomState, self: Ref, world: WorldView, viewer: Ref): string {
  const def = world.def(self);
  if (!def || def.kind !== 'room') return 'You are nowhere in particular.';
  const shard = shardIndex(self);
  const lines = [styled('room', shard > 0 ? `${def.name} [shard ${shard}]` : def.name), renderDescription(def.description.trimEnd())];
  const exits = Object.keys(def.exits);
  lines.push(exits.length ? `Exits: ${exits.map((e) => exitLabel(s.doors, def, e, world)).join(', ')}.` : 'There are no obvious exits.');
  if (s.contents.length) lines.push(`You see ${listNames(groupNames(s.contents.map((r) => shownName(s, r, world))).map((n) => styled('item', n)))}.`);
  const coins = floorCoinsLine(s);
  if (coins) lines.push(coins);
  const others = s.occupants.length - (s.occupants.includes(viewer) ? 1 : 0);
  if (others > 0) lines.push(`${occupantsLine(namedOthers(s.occupants, viewer), others, linklessOf(s))} here.`);
  return lines.join('\n');
}

/** The fellow occupants `look` names, in order: a crowded room's whole list is not copied for a dozen names. */
function namedOthers(occupants: Ref[], viewer: Ref): Ref[] {
  const named: Ref[] = [];
  for (let i = 0; i < occupants.length && named.length < NAMED_OCCUPANTS; i++) if (occupants[i] !== viewer) named.push(occupants[i]);
  return named;
}

/** A thing as `look` lists it: a creature lying dead is a body (world/kinds/room-remains.ts). */
function shownName(s: RoomState, ref: Ref, world: WorldView): string {
  const name = nameOf(ref, world);
  return s.fallen?.includes(ref) ? `the body of ${name}` : name;
}

/** A fellow occupant's name as `look` shows it, made once per player: a crowded room names a dozen on every look,
 *  and making each name again was a twentieth of the bytes a command allocates (docs/BENCHMARKS.md). */
const shownPlayers = new Map<Ref, string>();
const SHOWN_PLAYERS_MAX = 10_000;

function shownPlayer(ref: Ref): string {
  let name = shownPlayers.get(ref);
  if (name === undefined) {
    if (shownPlayers.size >= SHOWN_PLAYERS_MAX) shownPlayers.clear();
    name = styled('player', displayName(ref));
    shownPlayers.set(ref, name);
  }
  return name;
}

/** `count` fellow occupants, the first of them `named`; those standing link-dead are marked. */
function occupantsLine(named: Ref[], count: number, linkless: readonly Ref[]): string {
  const names = named.map((r) => (linkless.includes(r) ? `${shownPlayer(r)} (link-dead)` : shownPlayer(r)));
  const rest = count - names.length;
  if (rest > 0) return `${names.join(', ')} and ${rest} others are`;
  return `${listNames(names)} ${count === 1 ? 'is' : 'are'}`;
}

/** A thing (and, when asked, a person) in the room matching the target. A creature lying dead is listed as a
 *  body, so it answers to "body" and "corpse" too, after everything that answers to the words itself (a fallen
 *  player's corpse first: `get all from corpse`). */
export function findInRoom(s: RoomState, target: Target, world: WorldView, people: boolean): Ref | undefined {
  const items = findTarget(target, s.contents, world);
  if (items.ref) return items.ref;
  let counted = items.matched;
  if (s.fallen?.length) {
    const bodies = s.fallen.filter((r) => s.contents.includes(r) && !answersTo(r, target, world));
    const body = findTarget({ words: target.words, n: target.n - counted }, bodies, world, bodyWords);
    if (body.ref) return body.ref;
    counted += body.matched;
  }
  if (!people) return undefined;
  return findTarget({ words: target.words, n: target.n - counted }, s.occupants, world).ref;
}

/** The words a creature's body answers to: its own and what a body is called. */
function bodyWords(ref: Ref, world: WorldView): string[] {
  return [...keywordsOf(ref, world), 'body', 'corpse', 'remains'];
}
