import type { Json } from '../world/core/types.js';
import { ReadCache } from './read-cache.js';
import { hasJsonText, type CasResult, type JsonCasResult, type JsonVersioned, type StateStore, type StoreStats, type Versioned } from './state-store.js';
import { toJsonText } from './record-json.js';

/** A store operation as it crosses to the thread or process that owns the store.
 *  The `Json` variants carry JSON text both ways, so the owner (the gateway)
 *  neither parses nor serialises big records: the nodes do, which is the point
 *  of spreading function-mode turns over them. */
export type StoreOp =
  | { t: 'store'; op: 'get'; key: string }
  | { t: 'store'; op: 'cas'; key: string; value: Json; expected: number }
  | { t: 'store'; op: 'getJson'; key: string }
  | { t: 'store'; op: 'getJsonIfChanged'; key: string; known: number }
  | { t: 'store'; op: 'casJson'; key: string; json: string; expected: number };

/** A node's view of a store that lives elsewhere (the gateway's thread or
 *  process): every call is a request (batched per tick over a MessagePort). */
export class RemoteStore implements StateStore {
  readonly name = 'remote';
  readonly revisionsStepByOne = true;
  private reads = 0;
  private writes = 0;
  private casConflicts = 0;

  /** `jsonText`: the owner speaks the JSON-text operations; `cache`: keep what
   *  was read and written, and revalidate it by revision on every read. */
  constructor(private readonly call: (op: StoreOp) => Promise<unknown>, private readonly jsonText = false, private readonly cache?: ReadCache) {}

  async get(key: string): Promise<Versioned | undefined> {
    this.reads += 1;
    if (!this.jsonText) return (await this.call({ t: 'store', op: 'get', key })) as Versioned | undefined;
    const cached = this.cache?.get(key);
    if (!cached) return this.remember(key, parsed((await this.call({ t: 'store', op: 'getJson', key })) as JsonVersioned | undefined));
    const r = (await this.call({ t: 'store', op: 'getJsonIfChanged', key, known: cached.revision })) as JsonVersioned | { unchanged: true } | undefined;
    if (r && 'unchanged' in r) return { value: cached.value, revision: cached.revision };
    return this.remember(key, parsed(r));
  }

  private remember(key: string, v: Versioned | undefined): Versioned | undefined {
    if (!this.cache) return v;
    if (v) this.cache.set(key, v.revision, v.value);
    else this.cache.delete(key);
    return v;
  }

  async cas(key: string, value: Json, expected: number): Promise<CasResult> {
    this.writes += 1;
    const r = this.jsonText
      ? fromJson((await this.call({ t: 'store', op: 'casJson', key, json: toJsonText(value), expected })) as JsonCasResult)
      : ((await this.call({ t: 'store', op: 'cas', key, value, expected })) as CasResult);
    if (!r.ok) this.casConflicts += 1;
    if (r.ok) this.cache?.set(key, r.revision, value);
    else this.remember(key, r.current);
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

function parsed(v: JsonVersioned | undefined): Versioned | undefined {
  return v && { value: JSON.parse(v.json) as Json, revision: v.revision };
}

function fromJson(r: JsonCasResult): CasResult {
  return r.ok ? r : { ok: false, current: parsed(r.current) };
}

/** Serves a node's store operation against the real store, on its owner's side. */
export function serveStoreOp(store: StateStore, op: StoreOp): Promise<unknown> {
  switch (op.op) {
    case 'get': return store.get(op.key);
    case 'cas': return store.cas(op.key, op.value, op.expected);
    case 'getJsonIfChanged': return hasJsonText(store) ? store.getJsonIfChanged(op.key, op.known) : serveStoreOp(store, { t: 'store', op: 'getJson', key: op.key });
    case 'getJson': return hasJsonText(store) ? store.getJson(op.key) : store.get(op.key).then((v) => v && { json: JSON.stringify(v.value), revision: v.revision });
    case 'casJson': return hasJsonText(store)
      ? store.casJson(op.key, op.json, op.expected)
      : store.cas(op.key, JSON.parse(op.json) as Json, op.expected).then((r) => (r.ok ? r : { ok: false, current: r.current && { json: JSON.stringify(r.current.value), revision: r.current.revision } }));
  }
}
