import type { StateStore } from '../cluster/state-store.js';
import type { Json } from '../world/types.js';

/** Nobody is online when the server starts, but a crash can leave players
 *  listed in rooms. Clears them (and shard counts) before any turn runs. */
export async function sweepOccupants(store: StateStore): Promise<number> {
  let swept = 0;
  for (const entry of await store.scan('room/')) {
    const record = entry.value as unknown as { state?: { occupants?: Json[]; shards?: Json; [k: string]: Json | undefined } };
    const state = record?.state;
    if (!state || (!state.occupants?.length && !state.shards)) continue;
    const { shards: _shards, ...rest } = state;
    await store.cas(entry.key, { ...record, state: { ...rest, occupants: [] } } as unknown as Json, entry.revision);
    swept += 1;
  }
  return swept;
}
