import { shardIndex } from '../world/kinds/room-shards.js';
import { displayName } from '../world/commands/matching.js';
import { areaName, areaOf } from '../world/core/area.js';
import type { Ref } from '../world/core/types.js';
import type { SessionHost } from './session-host.js';
import { localWho } from './who.js';

/** `where`: the players in the asker's area (every gateway's, with several), and
 *  the room each is in; the area is the world's (world/core/area.ts). */
export async function whereList(host: SessionHost, asker: Ref): Promise<string> {
  const world = host.engine.currentWorld;
  const here = host.locations.roomOf(asker);
  if (!here) return 'You are between places; try again in a moment.';
  const area = areaOf(here, world);
  const { rows, missing } = host.cluster ? await host.cluster.who() : localWho(host);
  const near = rows.filter((r) => r.room && areaOf(r.room, world) === area);
  const lines = near.slice(0, 100).map(({ player, room }) => {
    const shard = shardIndex(room!);
    return `  ${displayName(player).padEnd(16)} ${world.def(room!)?.name ?? room}${shard > 0 ? ` [shard ${shard}]` : ''}`;
  });
  return [
    `Players near you in ${areaName(here, world)}:`, ...lines, ...(near.length > 100 ? [`  ... and ${near.length - 100} more`] : []),
    ...missing.map((id) => `  (gateway ${id} did not answer in time: its players are not listed)`),
  ].join('\n');
}
