import type { StateStore } from '../store/state-store.js';
import type { Json, Ref } from '../world/core/types.js';

/** Nobody is online when the server starts, but a crash can leave players
 *  listed in rooms, and marked online (a `tell` would then say it was heard).
 *  Clears both (and shard counts) before any turn runs. `keep`: players a
 *  predecessor process handed over with their connections (`mud upgrade`):
 *  they are online and stay where they stand. */
export async function sweepOccupants(store: StateStore, keep: ReadonlySet<Ref> = new Set()): Promise<number> {
  let swept = 0;
  for (const entry of await store.scan('player/')) {
    const record = entry.value as unknown as { state?: { online?: boolean; [k: string]: Json | undefined } };
    if (!record?.state?.online || keep.has(entry.key)) continue;
    await store.cas(entry.key, { ...record, state: { ...record.state, online: false } } as unknown as Json, entry.revision);
  }
  for (const entry of await store.scan('room/')) {
    const record = entry.value as unknown as { state?: { occupants?: Json[]; shards?: Json; [k: string]: Json | undefined } };
    const state = record?.state;
    if (!state || (!state.occupants?.length && !state.shards)) continue;
    const staying = (state.occupants ?? []).filter((p) => typeof p === 'string' && keep.has(p));
    if (staying.length > 0 && staying.length === state.occupants?.length) continue;
    const { shards, ...rest } = state;
    const next = staying.length > 0 ? { ...rest, occupants: staying, ...(shards === undefined ? {} : { shards }) } : { ...rest, occupants: [] };
    await store.cas(entry.key, { ...record, state: next } as unknown as Json, entry.revision);
    swept += 1;
  }
  return swept;
}
