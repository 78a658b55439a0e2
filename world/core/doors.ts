import type { Json, Ref, RoomDef, WorldView } from './types.js';
import { styled } from './text-style.js';

// What rooms and players know of the doors on exits (world/kinds/door.ts holds
// the truth): a room keeps the last state each of its doors told it
// (`doorChanged`), for what `look`, `exits` and clients show; before any
// change, a door is as the world file declares it.

export type DoorState = 'open' | 'closed' | 'locked';

/** The door on an exit of a room, if there is one. */
export function doorOn(def: RoomDef, dir: string): Ref | undefined {
  return def.doors?.[dir];
}

/** A door as the world file declares it. */
export function declaredState(door: Ref, world: WorldView): DoorState {
  const def = world.def(door);
  const props = def && 'props' in def ? def.props : {};
  return props.locked === true ? 'locked' : props.open === true ? 'open' : 'closed';
}

/** A room's view of the door on one of its exits: `doors` is the room state's record of them. */
export function doorState(doors: Json | undefined, def: RoomDef, dir: string, world: WorldView): DoorState | undefined {
  const door = doorOn(def, dir);
  if (!door) return undefined;
  const known = doors && typeof doors === 'object' && !Array.isArray(doors) ? doors[dir] : undefined;
  return typeof known === 'string' ? (known as DoorState) : declaredState(door, world);
}

/** An exit as `look` lists it: "up", or "up (closed)" behind a shut door. */
export function exitLabel(doors: Json | undefined, def: RoomDef, dir: string, world: WorldView): string {
  const state = doorState(doors, def, dir, world);
  return state && state !== 'open' ? `${styled('exit', dir)} (${state})` : styled('exit', dir);
}

/** Every door of a room by direction and its state, for clients (GMCP Room.Info `doors`). */
export function doorStates(doors: Json | undefined, def: RoomDef, world: WorldView): Record<string, DoorState> {
  const out: Record<string, DoorState> = {};
  for (const dir in def.doors ?? {}) out[dir] = doorState(doors, def, dir, world)!;
  return out;
}
