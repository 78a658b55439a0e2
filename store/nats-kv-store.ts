import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { Json } from '../world/core/types.js';
import type { CasResult, StateStore, StoreStats, Versioned } from './state-store.js';
import { type NatsLink } from '../nats/nats-connection.js';
import { isNoResponders, isTimeout, messageOf } from '../nats/nats-errors.js';
import type { Logger } from '../support/logger.js';
import { decodeKey, encodeKey, filterFor } from './kv-keys.js';
import { kvSnapshot } from './kv-snapshot.js';
import type { StoreSnapshot } from './store-snapshot.js';

/** JetStream's "wrong last sequence": the key was not at the expected revision. */
const WRONG_LAST_SEQUENCE = 10071;
const SCAN_READS_AT_ONCE = 64;
/** JetStream's "JetStream system temporarily unavailable": no meta leader right now. */
const JS_CLUSTER_NOT_AVAILABLE = 10008;
/** How long opening waits for a JetStream cluster that is electing a leader. */
const OPEN_WAIT_MS = 30_000;

export interface NatsKvStoreOptions {
  bucket?: string;
  /** Close the link with the store (a store that made its own connection). */
  ownsLink?: boolean;
  /** Copies JetStream keeps of a bucket this call creates (1, 3 or 5; at most the
   *  cluster's servers). Absent: 1, and an existing bucket is taken as it is, quietly. */
  replicas?: number;
  /** Told when an existing bucket has other replicas than asked for. */
  log?: Logger;
  /** How long an operation may wait out an outage and run again (NatsLink.survive); absent: as long as it takes. */
  waitOutMs?: number;
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

  private constructor(
    private readonly kv: KV, private readonly link: NatsLink, readonly bucket: string,
    /** Copies JetStream keeps of the bucket (as found, which may differ from what was asked). */
    readonly replicas: number, private readonly ownsLink: boolean, private readonly waitOutMs: number,
  ) {}

  /** Opens the bucket, creating it on first use with `opts.replicas` copies. A write
   *  returns once JetStream acknowledged it, and JetStream acknowledges a replicated
   *  write only once a quorum of the copies stored it: an acknowledged CAS survives
   *  the loss of any minority of servers. */
  static async open(link: NatsLink, opts: NatsKvStoreOptions = {}): Promise<NatsKvStore> {
    const bucket = opts.bucket ?? 'mud';
    const asked = opts.replicas ?? 1;
    let found: { kv: KV; replicas: number };
    for (const deadline = Date.now() + OPEN_WAIT_MS; ;) {
      try {
        found = await bind(link, bucket, asked);
        break;
      } catch (err) {
        // "No responders" means JetStream is off, which waiting will not cure; a cluster electing its leader will be.
        if (!notReadyYet(err) || Date.now() > deadline) {
          throw new Error(`cannot open the NATS KV bucket "${bucket}" (${asked} replica${asked === 1 ? '' : 's'}) at ${link.url}: ${messageOf(err)} (${hintFor(err)})`);
        }
        opts.log?.warn('kv bucket not ready', { bucket, why: messageOf(err), action: 'waiting for the JetStream cluster' });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const { kv, replicas } = found;
    if (opts.replicas !== undefined && replicas !== opts.replicas) {
      opts.log?.warn('kv bucket replicas differ', {
        bucket, replicas, asked: opts.replicas, action: `using it as it is (to change: nats stream edit KV_${bucket} --replicas ${opts.replicas})`,
      });
    }
    return new NatsKvStore(kv, link, bucket, replicas, !!opts.ownsLink, opts.waitOutMs ?? Infinity);
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
    const started = performance.now();
    try {
      const revision = await this.run(`cas ${key}`, () => {
        attempts++;
        return expected === 0 ? this.kv.create(k, json) : this.kv.update(k, json, expected);
      });
      return this.wrote({ ok: true, revision }, started);
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
    const started = performance.now();
    const revision = await this.run(`put ${key}`, () => this.kv.put(encodeKey(key), json));
    this.wrote({ ok: true, revision }, started);
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

  /** Every key and value as of one stream sequence, taken while writers go on (store/kv-snapshot.ts). */
  snapshot(): Promise<StoreSnapshot> {
    this.checkOpen();
    return this.run('snapshot', () => kvSnapshot(this.kv, this.bucket));
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

  onWriteTimed: ((seconds: number) => void) | undefined;

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

  private wrote<T extends CasResult>(r: T, started?: number): T {
    this.counters.writes++;
    this.counters.commits++;
    if (started !== undefined) this.onWriteTimed?.((performance.now() - started) / 1000);
    return r;
  }

  /** One KV call, carried over outages; failures other than a CAS conflict name the bucket and the operation. */
  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await this.link.survive(op, transient, this.waitOutMs);
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

/** Creates the bucket or binds to it as it is; reads go to the leader when there are copies. */
async function bind(link: NatsLink, bucket: string, asked: number): Promise<{ kv: KV; replicas: number }> {
  const kvm = new Kvm(link.connection);
  let kv = await kvm.create(bucket, { history: 1, replicas: asked, ...(asked > 1 ? { allow_direct: false } : {}) });
  const replicas = (await kv.status()).replicas;
  // Direct gets are answered by any replica, a follower possibly a write behind; a turn
  // must read what the last CAS stored (read-your-writes across nodes): ask the leader.
  if (replicas > 1) kv = await kvm.open(bucket, { allow_direct: false });
  return { kv, replicas };
}

/** Opening the bucket: the JetStream cluster is between leaders (a server just died or started), or it has not
 *  heard of enough servers yet to place the bucket's copies ("no suitable peers for placement", for a few seconds
 *  after the servers of a new cluster start together: seen on the network lab, where a gateway started with them
 *  exited). Either answers soon; the wait is bounded (OPEN_WAIT_MS), so a cluster that will never have enough
 *  servers fails with the hint. */
export function notReadyYet(err: unknown): boolean {
  return isTimeout(err) || codeOf(err) === JS_CLUSTER_NOT_AVAILABLE || /temporarily unavailable|no suitable peers/i.test(messageOf(err));
}

/** What to look at when the bucket will not open. */
function hintFor(err: unknown): string {
  const why = messageOf(err);
  if (/replicas/i.test(why) || /insufficient resources/i.test(why)) return 'more replicas than JetStream servers in the cluster? use --kv-replicas 1 on a single server';
  if (/temporarily unavailable/i.test(why)) return 'the NATS cluster has no JetStream leader yet: is a majority of its servers up?';
  if (/no suitable peers/i.test(why)) return 'fewer JetStream servers are in the cluster than the bucket has replicas: are they all up?';
  return 'was nats-server started with -js?';
}

/** Right after a server restart JetStream answers "no responders" or times out until its streams are back.
 *  "JetStream system temporarily unavailable" (a stream electing its leader, for seconds and more) is not
 *  waited out here: a node's turn waiting on it would run once the cut heals, on the record as it is then,
 *  long after its gateway counted that node gone and delivered the message elsewhere (the message applied
 *  twice; found on the network lab). It fails at once instead, and the caller tries again: the engine its
 *  turns, and each step that must happen until it is done (support/retry-until-done.ts). */
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
