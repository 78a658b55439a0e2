import type { Json } from '../world/core/types.js';

/** A value at a revision. Revisions grow with every write of a key: by exactly
 *  one in the embedded stores (`revisionsStepByOne`), by the stream's sequence in
 *  NATS JetStream KV. A deleted key reads as absent. */
export interface Versioned {
  value: Json;
  revision: number;
}

export type CasResult =
  | { ok: true; revision: number }
  /** The key was not at the expected revision; `current` is what it holds now
   *  (absent when it does not exist), so the caller can retry without a read. */
  | { ok: false; current: Versioned | undefined };

/** Where object state, accounts and the outbox live between turns.
 *  Keys are refs or `account/<name>`: [a-z0-9_.~/-], valid as NATS KV keys.
 *
 *  Guarantees every implementation keeps (checked by test/state-store.contract.test.ts):
 *  - a write has resolved only once it is durable (for a durable store): a crash
 *    after `cas` resolves never loses it;
 *  - `cas` is atomic per key: of two writers at the same revision, exactly one wins;
 *  - reads after a resolved write see it (read-your-writes, per process). */
export interface StateStore {
  readonly name: string;
  /** True when a write at revision r always yields r + 1, so a home may issue
   *  the next write of an object before the previous one is acknowledged. */
  readonly revisionsStepByOne: boolean;
  get(key: string): Promise<Versioned | undefined>;
  /** Writes `value` if the key is at `expected` (0 = must not exist). */
  cas(key: string, value: Json, expected: number): Promise<CasResult>;
  /** Writes `value` whatever the revision (administrative writes, migrations). */
  put(key: string, value: Json): Promise<number>;
  /** Deletes if at `expected`, or unconditionally when `expected` is omitted. */
  delete(key: string, expected?: number): Promise<boolean>;
  /** Every live key with the prefix, with its value, in key order. */
  scan(prefix: string): Promise<Array<{ key: string } & Versioned>>;
  /** Counters for the monitor: cheap to read, never a scan. */
  stats(): StoreStats;
  /** When set, told how long each write that took effect waited, from the call until it was durable
   *  (the output gate waits on this; portal/metrics.ts makes it a histogram). Stores that time no writes ignore it. */
  onWriteTimed?: (seconds: number) => void;
  /** Calls `listener` with every new value of `key` (absent: deleted) until the returned stop is
   *  called. Present exactly when the backend declares `caps.watch` (store/store-spec.ts). */
  watch?(key: string, listener: (value: Versioned | undefined) => void): () => void;
  /** Makes everything durable and releases files or connections. */
  close(): Promise<void>;
}

/** A value as JSON text, for stores that keep it that way: lets a store serve
 *  another thread or process without parsing and re-serialising big records. */
export interface JsonVersioned {
  json: string;
  revision: number;
}

export type JsonCasResult = { ok: true; revision: number } | { ok: false; current: JsonVersioned | undefined };

/** Optional fast paths of a store that holds JSON text (memory, file). */
export interface JsonTextStore {
  getJson(key: string): Promise<JsonVersioned | undefined>;
  /** The value only if its revision is not `known`: a reader holding revision
   *  `known` learns it is still current without the value crossing again. */
  getJsonIfChanged(key: string, known: number): Promise<JsonVersioned | { unchanged: true } | undefined>;
  casJson(key: string, json: string, expected: number): Promise<JsonCasResult>;
}

export function hasJsonText(store: StateStore): store is StateStore & JsonTextStore {
  return typeof (store as Partial<JsonTextStore>).getJson === 'function' && typeof (store as Partial<JsonTextStore>).casJson === 'function';
}

export interface StoreStats {
  reads: number;
  writes: number;
  casConflicts: number;
  /** Group commits (journal appends + fsync) so far; 0 for a memory store. */
  commits: number;
}
