import { Text } from 'ink';
import type { Status } from '../ops/status.js';
import { fit } from './format.js';

/** Which rooms have shards and how full each is, while sharding is on. */
export function ShardLine({ shards, sharding, width }: { shards: Status['shards']; sharding: string; width: number }) {
  if (sharding.startsWith('actor only')) return <Text color="magenta">{fit(`shards: none, ${sharding} (key 2)`, width)}</Text>;
  const text = shards.length
    ? shards.map((s) => `${s.room.replace(/^room\//, '')} ${s.players}`).join(' · ')
    : 'no room is crowded enough for a shard yet';
  return <Text color="magenta">{fit(`shards: ${text}`, width)}</Text>;
}

export function showsShards(status: Status | undefined): boolean {
  return !!status && (status.shardCapacity > 0 || status.shards.some((s) => s.room.includes('~')));
}
