import type { Json, Ref } from '../world/core/types.js';
import type { ObjectRecord } from '../world/core/turn.js';
import { rebase, type RecordDelta } from '../world/core/record-rebase.js';
import type { JsonTextStore, JsonVersioned, StateStore, Versioned } from './state-store.js';

/** Replays of one delta before its batch runs again instead: each is a read of
 *  what won and a write, far cheaper than a turn, so only a storm exhausts them. */
const MAX_REPLAYS = 50;

/** After a compare-and-swap lost to `current`: the batch's delta replayed on
 *  the record that won, and written with compare-and-swap on its revision,
 *  again on each new loss (world/core/record-rebase.ts). Resolves the revision
 *  written, or undefined when the delta cannot be replayed there (the batch
 *  must run again on the fresher record). */
export async function mergeCas(store: StateStore, ref: Ref, delta: RecordDelta, current: Versioned | undefined): Promise<number | undefined> {
  for (let i = 0; i < MAX_REPLAYS; i++) {
    const merged = rebase(current?.value as unknown as ObjectRecord | undefined, delta);
    if (!merged || !current) return undefined;
    const r = await store.cas(ref, merged as unknown as Json, current.revision);
    if (r.ok) return r.revision;
    current = r.current;
  }
  return undefined;
}

/** `mergeCas` on a store that keeps JSON text (the gateway's, modes/function/gateway-commits.ts). */
export async function mergeCasJson(store: JsonTextStore, ref: Ref, delta: RecordDelta, current: JsonVersioned | undefined): Promise<number | undefined> {
  for (let i = 0; i < MAX_REPLAYS; i++) {
    const merged = current && rebase(JSON.parse(current.json) as ObjectRecord, delta);
    if (!merged || !current) return undefined;
    const r = await store.casJson(ref, JSON.stringify(merged), current.revision);
    if (r.ok) return r.revision;
    current = r.current;
  }
  return undefined;
}
