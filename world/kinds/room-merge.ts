import type { Merges } from '../core/kind.js';
import { shardIndex } from './room-shards.js';

/** What of a room commutes (docs/architecture/mergeable-state.md): its occupants,
 *  a set. An arrival adds its player and a departure removes them, and the
 *  engine's handlers decide nothing else from the crowd: `enter` appends the
 *  player unless already there, `exit` filters them out, and the messages and
 *  moves each sends come from the message alone. Not with shards: a full base
 *  room routes newcomers by its head count, and a shard reports its head count
 *  to its base, both decisions on the crowd's size. Everything else a room holds
 *  (its contents above all: an item changing hands) stays plain compare-and-swap. */
export const roomMerges: Merges = {
  fields: ['occupants'],
  ops(msg, config, self) {
    if (config.shardCapacity > 0 || shardIndex(self) > 0 || typeof msg.player !== 'string') return undefined;
    if (msg.type === 'enter') return [{ field: 'occupants', add: msg.player }];
    if (msg.type === 'exit') return [{ field: 'occupants', remove: msg.player }];
    return undefined;
  },
};
