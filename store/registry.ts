import type { StateStore } from './state-store.js';
import type { StoreSpec } from './store-spec.js';
import { FILE_STORE } from './file-store-spec.js';
import { NATS_KV_STORE } from './nats-kv-store-spec.js';

/** Every store backend, by its `--store` word: the one place a backend is added. The
 *  choices of `mud serve/node/restore --store`, their help, the checks that a store needs
 *  NATS or can be shared, and what nodes are told at join all derive from it. */
export const STORE_REGISTRY = {
  file: FILE_STORE,
  nats: NATS_KV_STORE,
} as const satisfies Record<string, StoreSpec>;

export type StoreKind = keyof typeof STORE_REGISTRY;
export const STORE_KINDS = Object.keys(STORE_REGISTRY) as readonly StoreKind[];

/** What `mud serve` keeps state in when not told. */
export const DEFAULT_STORE: StoreKind = 'file';

export function isStoreKind(value: unknown): value is StoreKind {
  return typeof value === 'string' && Object.hasOwn(STORE_REGISTRY, value);
}

export function storeSpec(kind: StoreKind): StoreSpec {
  return STORE_REGISTRY[kind];
}

/** The backends several gateways can share (`caps.shared`). */
export const SHARED_STORES: readonly StoreKind[] = STORE_KINDS.filter((k) => STORE_REGISTRY[k].caps.shared);

/** The backends `mud restore` writes into (`caps.durable`). */
export const DURABLE_STORES: readonly StoreKind[] = STORE_KINDS.filter((k) => STORE_REGISTRY[k].caps.durable);

/** The backend that opened `store` (by its name), if it is a registered one. */
export function specOfStore(store: StateStore): StoreSpec | undefined {
  return STORE_KINDS.map((k) => STORE_REGISTRY[k]).find((s) => s.name === store.name);
}
