import type { Msg, Ref, TurnCtx } from '../core/types.js';
import type { RoomState } from './room.js';

// Actor-mode sharding of a crowded room: once `room/x` holds the configured
// number of players, newcomers are routed to `room/x~2`, `room/x~3`, ... Each
// shard is a room object of its own (its own home, its own crowd); the base room
// keeps only the head count of each open shard, reported by the shards.

export function shardIndex(ref: Ref): number {
  const at = ref.lastIndexOf('~');
  return at < 0 ? 0 : Number(ref.slice(at + 1)) || 0;
}

export function baseRoom(ref: Ref): Ref {
  const at = ref.lastIndexOf('~');
  return at < 0 ? ref : ref.slice(0, at);
}

/** On a full base room, forward the entering player to a shard with room (or a
 *  new one) and return the base's new state; undefined when the player stays. */
export function routeEntry(s: RoomState, m: Msg, ctx: TurnCtx): RoomState | undefined {
  const cap = ctx.config.shardCapacity;
  if (cap <= 0 || shardIndex(ctx.self) > 0 || s.occupants.length < cap) return undefined;
  if (s.occupants.includes(m.player as Ref)) return undefined;
  const shards = s.shards ?? {};
  let index = Object.keys(shards).map(Number).sort((a, b) => a - b).find((i) => shards[i] < cap);
  if (index === undefined) {
    index = Math.max(1, ...Object.keys(shards).map(Number)) + 1;
    ctx.log('info', `shard ${ctx.self}~${index} opened (${s.occupants.length} players in ${ctx.self})`);
  }
  ctx.send(`${ctx.self}~${index}`, { ...withoutId(m), type: 'enter' });
  // Count the newcomer now so a burst of arrivals spreads before the shard reports back.
  return { ...s, shards: { ...shards, [index]: (shards[index] ?? 0) + 1 } };
}

/** A shard tells its base room how many it holds, so the base can route and retire. */
export function shardReport(s: RoomState, ctx: TurnCtx): void {
  const index = shardIndex(ctx.self);
  if (index > 0) ctx.send(baseRoom(ctx.self), { type: 'shardCount', shard: index, count: s.occupants.length });
}

function withoutId(m: Msg): Omit<Msg, 'id'> {
  const { id: _id, ...rest } = m;
  return rest;
}
