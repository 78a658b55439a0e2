import type { Ref, TurnCtx } from './types.js';
import { displayName } from '../commands/matching.js';
import { opposite } from '../commands/directions.js';
import { doorOn } from './doors.js';
import { baseRoom } from '../kinds/room-shards.js';

/** Walks `player` out of `room` by `dir`: through the door on that exit when
 *  there is one (world/kinds/door.ts, which stops them while it is shut), else
 *  straight to the room's `exit`. False when there is no such exit. `fleeing`:
 *  the door tells the player how the flight went (world/kinds/combat.ts). */
export function walk(player: Ref, room: Ref, dir: string, ctx: TurnCtx, fleeing = false): boolean {
  const def = ctx.world.def(room);
  const to = def?.kind === 'room' ? def.exits[dir] : undefined;
  if (!to || def?.kind !== 'room') return false;
  const leave = { type: 'exit', player, name: displayName(player), dir, to, fromDir: opposite(dir) };
  const door = doorOn(def, dir);
  if (door) ctx.send(door, fleeing ? { ...leave, type: 'pass', room, fleeing } : { ...leave, type: 'pass', room });
  else ctx.send(room, leave);
  return true;
}

/** The exit of `from` that leads to `to` (a shard counts as its base room). */
export function exitTowards(from: Ref, to: Ref, ctx: TurnCtx): string | undefined {
  const def = ctx.world.def(from);
  if (def?.kind !== 'room') return undefined;
  const target = baseRoom(to);
  return Object.keys(def.exits).find((dir) => def.exits[dir] === target);
}
