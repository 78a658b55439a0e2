import type { Json } from '../world/core/types.js';
import { hasJsonText, type StateStore } from './state-store.js';

/** One write a store was asked for, told once its outcome is known: `ok` (it took effect at `revision`)
 *  or `unknown` (the call failed, say a timeout across a partition: it may or may not have landed).
 *  A compare-and-swap the store refused is no write and is not told. `expected` is null for a `put`. */
export interface StoreWrite {
  key: string;
  value: Json;
  expected: number | null;
  revision?: number;
  outcome: 'ok' | 'unknown';
}

/** Makes `store` tell `onWrite` about every write it takes (cas, casJson, put), after the store has
 *  answered: a history of acknowledged writes, for checking (ops/write-history.ts). It changes the
 *  store object in place (its reads, watches and counters stay as they are) and only when asked:
 *  a store nobody records has none of this on its path. Deletes are not told. */
export function recordWrites(store: StateStore, onWrite: (w: StoreWrite) => void): StateStore {
  const cas = store.cas.bind(store);
  store.cas = async (key, value, expected) => {
    try {
      const r = await cas(key, value, expected);
      if (r.ok) onWrite({ key, value, expected, revision: r.revision, outcome: 'ok' });
      return r;
    } catch (err) {
      onWrite({ key, value, expected, outcome: 'unknown' });
      throw err;
    }
  };
  const put = store.put.bind(store);
  store.put = async (key, value) => {
    try {
      const revision = await put(key, value);
      onWrite({ key, value, expected: null, revision, outcome: 'ok' });
      return revision;
    } catch (err) {
      onWrite({ key, value, expected: null, outcome: 'unknown' });
      throw err;
    }
  };
  if (hasJsonText(store)) {
    const casJson = store.casJson.bind(store);
    store.casJson = async (key, json, expected) => {
      try {
        const r = await casJson(key, json, expected);
        if (r.ok) onWrite({ key, value: JSON.parse(json) as Json, expected, revision: r.revision, outcome: 'ok' });
        return r;
      } catch (err) {
        onWrite({ key, value: JSON.parse(json) as Json, expected, outcome: 'unknown' });
        throw err;
      }
    };
  }
  return store;
}
