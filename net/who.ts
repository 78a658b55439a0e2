import { displayName } from '../world/matching.js';
import { shardIndex } from '../world/kinds/room-shards.js';
import type { SessionHost } from './session-host.js';

/** `who`: everyone online, and where (with the shard, when a room is sharded). */
export function whoList(host: SessionHost): string {
  const players = host.registry.players();
  const world = host.engine.currentWorld;
  const rows = players.map((p) => {
    const room = host.locations.roomOf(p);
    const name = room ? world.def(room)?.name ?? room : 'arriving';
    const shard = room ? shardIndex(room) : 0;
    return `  ${displayName(p).padEnd(16)} ${name}${shard > 0 ? ` [shard ${shard}]` : ''}`;
  });
  return [`Players online: ${players.length}`, ...rows.slice(0, 100), ...(rows.length > 100 ? [`  ... and ${rows.length - 100} more`] : [])].join('\n');
}
