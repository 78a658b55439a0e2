import { displayName } from '../world/commands/matching.js';
import { shardIndex } from '../world/kinds/room-shards.js';
import { areaName } from '../world/core/area.js';
import type { SessionHost } from './session-host.js';
import { whoRowsHere, type ClusterWho } from './cluster-sessions.js';

/** `who`: everyone online (in the whole cluster, with several gateways), and in which area: a
 *  player's exact room is not everyone's business. Wizards see the room (and the shard). */
export async function whoList(host: SessionHost, wizard = false): Promise<string> {
  const { rows, missing } = host.cluster ? await host.cluster.who() : localWho(host);
  const world = host.engine.currentWorld;
  const lines = rows.map(({ player, room, linkDead, away }) => {
    if (!room) return `  ${displayName(player).padEnd(16)} arriving`;
    const lost = linkDead ? ' (link-dead)' : away ? ' (afk)' : '';
    if (!wizard) return `  ${displayName(player).padEnd(16)} ${areaName(room, world)}${lost}`;
    const shard = shardIndex(room);
    return `  ${displayName(player).padEnd(16)} ${world.def(room)?.name ?? room}${shard > 0 ? ` [shard ${shard}]` : ''}${lost}`;
  });
  return [
    `Players online: ${rows.length}`, ...lines.slice(0, 100), ...(lines.length > 100 ? [`  ... and ${lines.length - 100} more`] : []),
    ...missing.map((id) => `  (gateway ${id} did not answer in time: its players are not listed)`),
  ].join('\n');
}

export function localWho(host: SessionHost): ClusterWho {
  return { rows: whoRowsHere(host.registry, host.locations), missing: [] };
}
