import { displayName } from '../world/matching.js';
import { shardIndex } from '../world/kinds/room-shards.js';
import type { SessionHost } from './session-host.js';
import type { ClusterWho } from './cluster-sessions.js';

/** `who`: everyone online (in the whole cluster, with several gateways), and
 *  where (with the shard, when a room is sharded). */
export async function whoList(host: SessionHost): Promise<string> {
  const { rows, missing } = host.cluster ? await host.cluster.who() : localWho(host);
  const world = host.engine.currentWorld;
  const lines = rows.map(({ player, room }) => {
    const name = room ? world.def(room)?.name ?? room : 'arriving';
    const shard = room ? shardIndex(room) : 0;
    return `  ${displayName(player).padEnd(16)} ${name}${shard > 0 ? ` [shard ${shard}]` : ''}`;
  });
  return [
    `Players online: ${rows.length}`, ...lines.slice(0, 100), ...(lines.length > 100 ? [`  ... and ${lines.length - 100} more`] : []),
    ...missing.map((id) => `  (gateway ${id} did not answer in time: its players are not listed)`),
  ].join('\n');
}

export function localWho(host: SessionHost): ClusterWho {
  return { rows: host.registry.players().map((player) => ({ player, room: host.locations.roomOf(player) ?? null })), missing: [] };
}
