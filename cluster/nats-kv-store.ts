import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { Json } from '../world/types.js';
import type { CasResult, StateStore, StoreStats, Versioned } from './state-store.js';
import { isNoResponders, isTimeout, messageOf, type NatsLink } from './nats-connection.js';
import { decodeKey, encodeKey, filterFor } from './kv-keys.js';

/** JetStream's "wrong last sequence": the key was not at the expected revision. */
const WRONG_LAST_SEQUENCE = 10071;
const SCAN_READS_AT_ONCE = 64;

export interface NatsKvStoreOptions {
  bucket?: string;
  /** Close the link with the store (a store that made its own connection). */
  ownsLink?: boolean;
}

/** The StateStore over a JetStream KV bucket (one value per key, history 1).
 *  A revision is the stream's sequence number: it grows with every write to the
 *  bucket, not by one per key, so `revisionsStepByOne` is false and homes chain
 *  their writes. `cas` is the server's expected-last-subject-sequence check.
 *  Operations wait out a NATS outage and then run again (see `NatsLink.survive`). */
export class NatsKvStore implements StateStore {
  readonly name = 'nats-kv';
  readonly revisionsStepByOne = false;
  private readonly counters: StoreStats = { reads: 0, writes: 0, casConflicts: 0, commits: 0 };
  private closed = false;

  private constructor(private readonly kv: KV, private readonly link: NatsLink, readonly bucket: string, private readonly ownsLink: boolean) {}

  /** Opens the bucket, creating it on first use. */
  static async open(link: NatsLink, opts: NatsKvStoreOptions = {}): Promise<NatsKvStore> {
    const bucket = opts.bucket ?? 'mud';
    let kv: KV;
    try {
      // No retries: at start-up, "no responders" means JetStream is off, which waiting will not cure.
      kv = await new Kvm(link.connection).create(bucket, { history: 1 });
    } catch (err) {
      throw new Error(`cannot open the NATS KV bucket "${bucket}" at ${link.url}: ${messageOf(err)} (was nats-server started with -js?)`);
    }
    return new NatsKvStore(kv, link, bucket, !!opts.ownsLink);
  }

  async get(key: string): Promise<Versioned | undefined> {
    this.checkOpen();
    this.counters.reads++;
    return this.read(key);
  }

  async cas(key: string, value: Json, expected: number): Promise<CasResult> {
    this.checkOpen();
    const json = serialise(value);
    const k = encodeKey(key);
    if (expected < 0) return this.conflict(key); // a home whose previous write failed: it cannot be at this revision
    let attempts = 0;
    try {
      const revision = await this.run(`cas ${key}`, () => {
        attempts++;
        return expected === 0 ? this.kv.create(k, json) : this.kv.update(k, json, expected);
      });
      return this.wrote({ ok: true, revision });
    } catch (err) {
      if (codeOf(err) !== WRONG_LAST_SEQUENCE) throw err;
    }
    const current = await this.read(key);
    // Sent more than once because the link dropped: the conflict may be our own write.
    if (attempts > 1 && current && JSON.stringify(current.value) === json) return this.wrote({ ok: true, revision: current.revision });
    this.counters.casConflicts++;
    return { ok: false, current };
  }

  async put(key: string, value: Json): Promise<number> {
    this.checkOpen();
    const json = serialise(value);
    const revision = await this.run(`put ${key}`, () => this.kv.put(encodeKey(key), json));
    this.wrote({ ok: true, revision });
    return revision;
  }

  async delete(key: string, expected?: number): Promise<boolean> {
    this.checkOpen();
    for (;;) {
      const current = await this.read(key);
      if (!current) return false;
      if (expected !== undefined && current.revision !== expected) {
        this.counters.casConflicts++;
        return false;
      }
      try {
        await this.run(`delete ${key}`, () => this.kv.delete(encodeKey(key), { previousSeq: current.revision }));
        this.wrote({ ok: true, revision: 0 });
        return true;
      } catch (err) {
        if (codeOf(err) !== WRONG_LAST_SEQUENCE) throw err; // written meanwhile: look again
      }
    }
  }

  async scan(prefix: string): Promise<Array<{ key: string } & Versioned>> {
    this.checkOpen();
    this.counters.reads++;
    const keys = await this.run(`scan ${prefix}`, async () => {
      const found: string[] = [];
      for await (const k of await this.kv.keys(filterFor(prefix))) found.push(decodeKey(k));
      return found;
    });
    const wanted = keys.filter((k) => k.startsWith(prefix)).sort();
    const out: Array<{ key: string } & Versioned> = [];
    for (let i = 0; i < wanted.length; i += SCAN_READS_AT_ONCE) {
      const batch = wanted.slice(i, i + SCAN_READS_AT_ONCE);
      const values = await Promise.all(batch.map((k) => this.read(k)));
      batch.forEach((key, j) => values[j] && out.push({ key, ...values[j]! }));
    }
    return out;
  }

  /** Calls `listener` with every new value of `key` (absent: deleted) until the returned stop is called.
   *  The watch is JetStream's ordered consumer: it carries on over reconnects. */
  watch(key: string, listener: (value: Versioned | undefined) => void): () => void {
    let stopped = false;
    let stop = (): void => { stopped = true; };
    void this.kv.watch({ key: encodeKey(key), include: 'updates' }).then(async (iter) => {
      stop = () => { stopped = true; iter.stop(); };
      if (stopped) return iter.stop();
      for await (const e of iter) listener(versioned(e));
    }).catch(() => undefined); // closed with the connection
    return () => stop();
  }

  /** `reads` counts gets and scans; `writes` applied writes; `commits` equals
   *  writes (each is acknowledged by JetStream once stored). */
  stats(): StoreStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsLink) await this.link.close();
  }

  private async read(key: string): Promise<Versioned | undefined> {
    const entry = await this.run(`get ${key}`, () => this.kv.get(encodeKey(key)));
    return entry ? versioned(entry) : undefined;
  }

  private async conflict(key: string): Promise<CasResult> {
    this.counters.casConflicts++;
    return { ok: false, current: await this.read(key) };
  }

  private wrote<T extends CasResult>(r: T): T {
    this.counters.writes++;
    this.counters.commits++;
    return r;
  }

  /** One KV call, carried over outages; failures other than a CAS conflict name the bucket and the operation. */
  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await this.link.survive(op, transient);
    } catch (err) {
      if (codeOf(err) === WRONG_LAST_SEQUENCE) throw err;
      throw new Error(`NATS KV bucket ${this.bucket}: ${what} failed: ${messageOf(err)}`, { cause: err });
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`the NATS KV store (bucket ${this.bucket}) is closed`);
  }
}

function versioned(entry: KvEntry): Versioned | undefined {
  if (entry.operation !== 'PUT') return undefined; // a delete marker: the key reads as absent
  return { value: JSON.parse(entry.string()) as Json, revision: entry.revision };
}

/** Right after a server restart JetStream answers "no responders" or times out until its streams are back. */
function transient(err: unknown): boolean {
  return isNoResponders(err) || isTimeout(err);
}

function codeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

function serialise(value: Json): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`not a JSON value: ${String(value)}`);
  return json;
}
