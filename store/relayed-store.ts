import type { Json } from '../world/core/types.js';
import type { CasResult, StateStore, StoreStats, Versioned } from './state-store.js';
import { serveStoreOp, type StoreOp } from './remote-store.js';
import { canSnapshot, type SnapshotSource, type StoreSnapshot } from './store-snapshot.js';

/** A gateway's store operation as it crosses to the process that holds the store: what nodes
 *  send (`StoreOp`) plus the writes and scans only a gateway makes (session keys, accounts,
 *  the mode table, timers' records). */
export type GatewayStoreOp =
  | StoreOp
  | { t: 'store'; op: 'put'; key: string; value: Json }
  | { t: 'store'; op: 'delete'; key: string; expected?: number }
  | { t: 'store'; op: 'scan'; prefix: string }
  | { t: 'store'; op: 'snapshot' };

/** The store of a gateway process whose store lives in its parent (`mud serve --gateways N`: one
 *  file store behind N gateway processes): every call is a request to the parent, which serves it
 *  with `serveGatewayStoreOp`. Nothing is cached: other gateways write the same keys. */
export class RelayedStore implements StateStore, SnapshotSource {
  readonly name: string;
  readonly revisionsStepByOne = true;
  private readonly counts: StoreStats = { reads: 0, writes: 0, casConflicts: 0, commits: 0 };

  /** `name`: the store's name where it lives (`file`). */
  constructor(private readonly call: (op: GatewayStoreOp) => Promise<unknown>, name: string) {
    this.name = name;
  }

  async get(key: string): Promise<Versioned | undefined> {
    this.counts.reads += 1;
    return (await this.call({ t: 'store', op: 'get', key })) as Versioned | undefined;
  }

  async cas(key: string, value: Json, expected: number): Promise<CasResult> {
    this.counts.writes += 1;
    const r = (await this.call({ t: 'store', op: 'cas', key, value, expected })) as CasResult;
    if (!r.ok) this.counts.casConflicts += 1;
    return r;
  }

  async put(key: string, value: Json): Promise<number> {
    this.counts.writes += 1;
    return (await this.call({ t: 'store', op: 'put', key, value })) as number;
  }

  async delete(key: string, expected?: number): Promise<boolean> {
    this.counts.writes += 1;
    return (await this.call({ t: 'store', op: 'delete', key, expected })) as boolean;
  }

  async scan(prefix: string): Promise<Array<{ key: string } & Versioned>> {
    this.counts.reads += 1;
    return (await this.call({ t: 'store', op: 'scan', prefix })) as Array<{ key: string } & Versioned>;
  }

  /** `mud backup` on any gateway: the cut is taken where the store is. */
  async snapshot(): Promise<StoreSnapshot> {
    return (await this.call({ t: 'store', op: 'snapshot' })) as StoreSnapshot;
  }

  stats(): StoreStats {
    return { ...this.counts };
  }

  /** The store is the parent's: it stays open for the other gateways. */
  async close(): Promise<void> {}
}

/** Serves a gateway's store operation against the real store, in the process that holds it. */
export function serveGatewayStoreOp(store: StateStore, op: GatewayStoreOp): Promise<unknown> {
  switch (op.op) {
    case 'put': return store.put(op.key, op.value);
    case 'delete': return store.delete(op.key, op.expected);
    case 'scan': return store.scan(op.prefix);
    case 'snapshot': return canSnapshot(store) ? store.snapshot() : Promise.reject(new Error(`the ${store.name} store cannot take a consistent snapshot`));
    default: return serveStoreOp(store, op);
  }
}
