import type { StateStore } from '../store/state-store.js';
import type { Json } from '../world/core/types.js';

/** Nobody is online when the server starts, but a crash can leave players
 *  listed in rooms, and marked online (a `tell` would then say it was heard).
 *  Clears both (and shard counts) before any turn runs. */
export async function sweepOccupants(store: StateStore): Promise<number> {
  let swept = 0;
  for (const entry of await store.scan('player/')) {
    const record = entry.value as unknown as { state?: { online?: boolean; [k: string]: Json | undefined } };
    if (!record?.state?.online) continue;
    await store.cas(entry.key, { ...record, state: { ...record.state, online: false } } as unknown as Json, entry.revision);
  }
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
