import type { Json, Msg, Ref, ScriptEffect, WorldView } from '../core/types.js';
import { refKind } from '../core/types.js';
import { show } from './script-effects.js';

// What a builder script may reach in one turn, derived from what the engine
// knows and never from what a script could have written: its own object, what
// that object holds (the engine's `contents`), the room it is in, the doors on a
// room's exits (its world file's), and the players there. A message's `room`
// field is the engine's too: a script's messages and timers carry the room the engine knows their sender to be in, whatever the
// script put there (see `stampRoom`), so `msg.room` can no longer be used to
// point a script at a room it is not in (issue 25, item 3).

/** The objects, room and players one script turn may address. */
export interface ScriptReach {
  self: Ref;
  /** The room the object is in, as the engine knows it; undefined when it does not know. */
  room: Ref | undefined;
  contents: readonly Ref[];
  /** The world, for the doors on a room's exits (a room's script may open and shut them: a lever). */
  world: WorldView;
  /** Is this player one the script may tell (in its room, or the one whose action ran it)? */
  mayTell(player: Ref): boolean;
}

/** The reach of a script turn on `self`, from the object's engine state (after its
 *  handler ran) and the engine-written fields of the message. */
export function reachOf(world: WorldView, self: Ref, state: Json, msg: Msg): ScriptReach {
  const engine = (state ?? {}) as { contents?: Json; occupants?: Json; room?: Json };
  const room = roomOf(world, self, engine.room, msg.room);
  const contents = refList(engine.contents);
  // A room knows who is in it; anything else knows the players the message names.
  // `actor` is set by the engine only; `player` names the actor on any message a script sent.
  const { actor, player: named } = msg;
  const occupants = refKind(self) === 'room' ? refList(engine.occupants) : [];
  let present: Set<Ref> | undefined;
  return {
    self, room, contents, world,
    mayTell(player) {
      if (player === actor || player === named) return true;
      present ??= new Set(occupants);
      return present.has(player);
    },
  };
}

/** A room is its own room; a creature or a player has its room in its engine state;
 *  an item knows it from the message (engine-written: see `stampRoom`). Whichever it
 *  is must name a room of this world. */
function roomOf(world: WorldView, self: Ref, own: Json | undefined, told: Json | undefined): Ref | undefined {
  const room = refKind(self) === 'room' ? self : typeof own === 'string' ? own : told;
  return typeof room === 'string' && refKind(room) === 'room' && world.def(room)?.kind === 'room' ? room : undefined;
}

/** The refs of an engine list: the list itself when it holds only refs (it is never changed once made, and a
 *  crowded room's 200 occupants are not copied on every hook call), else a copy without the rest. */
function refList(value: Json | undefined): readonly Ref[] {
  if (!Array.isArray(value)) return [];
  for (const r of value) if (typeof r !== 'string') return value.filter((x) => typeof x === 'string') as Ref[];
  return value as Ref[];
}

/** Why one of a script's effects goes beyond its reach, or undefined. */
export function outOfReach(effects: readonly ScriptEffect[], reach: ScriptReach, actor: Ref | undefined): string | undefined {
  for (const e of effects) {
    const problem = effectProblem(e, reach, actor);
    if (problem) return problem;
  }
  return undefined;
}

function effectProblem(e: ScriptEffect, reach: ScriptReach, actor: Ref | undefined): string | undefined {
  switch (e.t) {
    case 'tell':
      return reach.mayTell(e.to) ? undefined : `ctx.tell: ${e.to} is out of this script's reach (players in its room, and ctx.actor)`;
    case 'quest':
      return reach.mayTell(e.to) ? undefined : `ctx.quest: ${e.to} is out of this script's reach (players in its room, and ctx.actor)`;
    case 'tellRoom':
      return e.room === reach.self || e.room === reach.room ? undefined : `ctx.tellRoom: ${e.room} is not this script's room (${reach.room ?? 'unknown here'})`;
    case 'send':
      if (!mayReach(e.to, reach)) {
        return `ctx.send: ${e.to} is out of this script's reach (its own object, what it holds, the room it is in: ${reach.room ?? 'unknown here'})`;
      }
      return fieldsProblem('ctx.send', e.msg, reach, actor);
    case 'after':
      return fieldsProblem('ctx.after', e.msg, reach, actor);
    default:
      return undefined;
  }
}

/** Players get text only; objects must be this one, what it holds, or its room. */
function mayReach(to: Ref, reach: ScriptReach): boolean {
  if (refKind(to) === 'player') return false;
  return to === reach.self || to === reach.room || reach.contents.includes(to) || isDoorOf(reach, to);
}

/** Is `to` a door on the exits of the room whose script this is (looked up only when a send asks)? */
function isDoorOf(reach: ScriptReach, to: Ref): boolean {
  const def = refKind(reach.self) === 'room' ? reach.world.def(reach.self) : undefined;
  return def?.kind === 'room' && !!def.doors && Object.values(def.doors).includes(to);
}

function fieldsProblem(call: string, msg: { [field: string]: Json | undefined }, reach: ScriptReach, actor: Ref | undefined): string | undefined {
  // Acting for another player is puppeting: a message may name only the player whose action ran this hook.
  if (msg.player !== undefined && msg.player !== actor) return `${call}: the player field may only be ctx.actor`;
  if (msg.room !== undefined && msg.room !== reach.room) {
    return `${call}: the room field is set by the engine to the room this object is in (${reach.room ?? 'unknown here'}), not ${show(msg.room)}`;
  }
  return undefined;
}

/** A script's message as the engine sends it: its `room` is the room its sender is in, or none. */
export function stampRoom<M extends { [field: string]: Json | undefined }>(msg: M, reach: ScriptReach): M {
  const { room: _written, ...rest } = msg;
  return (reach.room === undefined ? rest : { ...rest, room: reach.room }) as M;
}
