import type { Json } from '../world/types.js';
import type { CasResult, StateStore, StoreStats, Versioned } from './state-store.js';

/** A store operation as it crosses to the thread that owns the store. */
export type StoreOp =
  | { t: 'store'; op: 'get'; key: string }
  | { t: 'store'; op: 'cas'; key: string; value: Json; expected: number };

/** A node's view of the embedded store that lives on the gateway's thread:
 *  every call is a request over the node's port (batched per tick). */
export class RemoteStore implements StateStore {
  readonly name = 'remote';
  readonly revisionsStepByOne = true;
  private reads = 0;
  private writes = 0;
  private casConflicts = 0;

  constructor(private readonly call: (op: StoreOp) => Promise<unknown>) {}

  async get(key: string): Promise<Versioned | undefined> {
    this.reads += 1;
    return (await this.call({ t: 'store', op: 'get', key })) as Versioned | undefined;
  }

  async cas(key: string, value: Json, expected: number): Promise<CasResult> {
    this.writes += 1;
    const r = (await this.call({ t: 'store', op: 'cas', key, value, expected })) as CasResult;
    if (!r.ok) this.casConflicts += 1;
    return r;
  }

  put(): Promise<number> {
    return Promise.reject(new Error('nodes do not make unconditional writes'));
  }

  delete(): Promise<boolean> {
    return Promise.reject(new Error('nodes do not delete'));
  }

  scan(): Promise<Array<{ key: string } & Versioned>> {
    return Promise.reject(new Error('nodes do not scan'));
  }

  stats(): StoreStats {
    return { reads: this.reads, writes: this.writes, casConflicts: this.casConflicts, commits: 0 };
  }

  async close(): Promise<void> {}
}

/** Serves a node's store operations against the real store, on its owner's thread. */
export function serveStoreOp(store: StateStore, op: StoreOp): Promise<unknown> {
  return op.op === 'get' ? store.get(op.key) : store.cas(op.key, op.value, op.expected);
}
