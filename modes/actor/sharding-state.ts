import type { ModeTable } from '../../dispatch/mode-table.js';

/** Sharding as it really is: shards are homed actors, so a capacity set while
 *  rooms run in-process or as functions shards nothing, and says so. */
export function shardingState(modes: ModeTable, capacity: number): string {
  if (capacity <= 0) return 'off';
  // A room with no override of its own follows the room kind's mode.
  if ((modes.kinds.room ?? modes.default) !== 'actor') return 'actor only: switch to actor to shard';
  return `on (${capacity}/room)`;
}
