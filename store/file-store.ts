// The embedded durable StateStore: a data directory holding
//   state.json              the snapshot { version: 1, entries: { [key]: [revision, json | null] } } (snapshot-file.ts)
//   journal.ndjson          the active journal, one line per write since the snapshot:
//                           {"k":key,"r":revision,"v":value} or {"k":key,"r":revision,"d":true}
//   journal.<n>.ndjson      retired journals, not yet covered by a written snapshot
// State lives in a MemoryStore. A write applies there at once (so a concurrent cas
// on the same key sees it and conflicts), and its promise resolves only when the
// group commit holding it has been appended to the journal and fdatasync'd: one
// append + one sync per batch, so throughput grows with the number of writers.
//
// Reads: `get`, `scan` and a cas conflict's `current` may return a value whose
// write is not yet durable. That is enough for the game: it releases a turn's
// effects only after its own cas resolved (the output gate), and a commit makes
// every earlier write durable too, since batches reach the journal in order.
//
// One process per directory: `mud serve` locks it first (bin/data-dir-lock.ts).

import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Json } from '../world/core/types.js';
import { MemoryStore } from './memory-store.js';
import { JOURNAL, message, recover, retired, SNAPSHOT, type Recovered, type RecoveryInfo } from './file-store-recovery.js';
import { writeSnapshotFile } from './snapshot-file.js';
import type { StoreSnapshot } from './store-snapshot.js';
import { Batch, noop } from './group-commit.js';
import { ignoreMissing, syncDir } from './durable-files.js';
import type { CasResult, JsonCasResult, JsonTextStore, JsonVersioned, StateStore, StoreStats, Versioned } from './state-store.js';

export interface FileStoreOptions {
  /** Compact once the journals since the last snapshot hold this many bytes (default 64 MiB). */
  compactEveryBytes?: number;
  /** Also compact on this period if anything was written since the snapshot (default: off). */
  compactEveryMs?: number;
  /** 'none' skips every fdatasync/fsync: only for measuring the price of durability. */
  syncMode?: 'fsync' | 'none';
}

export type { RecoveryInfo } from './file-store-recovery.js';

export class FileStore implements StateStore, JsonTextStore {
  readonly name = 'file';
  readonly revisionsStepByOne = true;
  compactions = 0; // completed since open
  /** Why the last compaction failed (nothing is lost: its journals are kept); cleared by a success. */
  compactionError: Error | undefined;
  private fh: FileHandle | undefined;
  private next = new Batch();
  private flushScheduled = false;
  /** Journal operations (batch appends, rotations) run one at a time on this chain. */
  private tail: Promise<unknown> = Promise.resolve();
  private commits = 0;
  private sinceSnapshot: number;
  private nextSeq: number;
  private compacting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private failed: Error | undefined;
  private readonly sync: boolean;
  private readonly compactEveryBytes: number;
  private retiredSeqs: number[];
  readonly recoveryInfo: RecoveryInfo;

  private constructor(readonly dir: string, private readonly mem: MemoryStore, rec: Recovered, opts: FileStoreOptions) {
    this.recoveryInfo = rec.info;
    this.retiredSeqs = rec.retired;
    this.sinceSnapshot = rec.journalBytes;
    this.nextSeq = (rec.retired.at(-1) ?? 0) + 1;
    this.sync = opts.syncMode !== 'none';
    this.compactEveryBytes = opts.compactEveryBytes ?? 64 * 1024 * 1024;
    mem.onWrite = (key, rev, json) => this.journal(key, rev, json);
  }

  /** Creates the directory if missing, recovers snapshot + journals, starts a fresh journal. */
  static async open(dir: string, opts: FileStoreOptions = {}): Promise<FileStore> {
    await mkdir(dir, { recursive: true });
    const mem = new MemoryStore();
    const store = new FileStore(dir, mem, await recover(dir, mem), opts);
    // Never append to a recovered journal: its tail may be torn, and a line written
    // after a torn one would turn it into corruption in the middle of the file.
    await store.rotate(true);
    store.startTimer(opts.compactEveryMs);
    return store;
  }

  async get(key: string): Promise<Versioned | undefined> {
    this.checkUsable();
    return this.mem.getSync(key);
  }

  async cas(key: string, value: Json, expected: number): Promise<CasResult> {
    this.checkUsable();
    const started = performance.now();
    const result = this.mem.casSync(key, value, expected);
    if (result.ok) await this.durable(started); // the batch the write just joined
    return result;
  }

  async getJsonIfChanged(key: string, known: number): Promise<JsonVersioned | { unchanged: true } | undefined> {
    this.checkUsable();
    return this.mem.getJsonIfChanged(key, known);
  }

  async getJson(key: string): Promise<JsonVersioned | undefined> {
    this.checkUsable();
    return this.mem.getJsonSync(key);
  }

  async casJson(key: string, json: string, expected: number): Promise<JsonCasResult> {
    this.checkUsable();
    const started = performance.now();
    const result = this.mem.casJsonSync(key, json, expected);
    if (result.ok) await this.durable(started);
    return result;
  }

  async put(key: string, value: Json): Promise<number> {
    this.checkUsable();
    const started = performance.now();
    const revision = this.mem.putSync(key, value);
    await this.durable(started);
    return revision;
  }

  async delete(key: string, expected?: number): Promise<boolean> {
    this.checkUsable();
    const deleted = this.mem.deleteSync(key, expected);
    if (deleted) await this.next.done;
    return deleted;
  }

  async scan(prefix: string): Promise<Array<{ key: string } & Versioned>> {
    this.checkUsable();
    return this.mem.scanSync(prefix);
  }

  /** Every key at one instant: one synchronous pass over memory, which no write can enter midway.
   *  It may hold writes whose commit is still under way, each with the outbox its turn wrote. */
  async snapshot(): Promise<StoreSnapshot> {
    this.checkUsable();
    return { entries: this.mem.entriesJsonSync(), cut: `file@${new Date().toISOString()}` };
  }

  stats(): StoreStats {
    return { ...this.mem.stats(), commits: this.commits };
  }

  onWriteTimed: ((seconds: number) => void) | undefined;

  /** Waits for the open batch's commit; tells `onWriteTimed` how long the write took. */
  private async durable(started: number): Promise<void> {
    await this.next.done;
    this.onWriteTimed?.((performance.now() - started) / 1000);
  }

  /** Snapshots the state and drops the journals it covers (joins one already running). */
  compact(): Promise<void> {
    this.checkUsable();
    this.compacting ??= this.runCompaction(false).finally(() => (this.compacting = undefined));
    return this.compacting;
  }

  /** Flushes pending writes, compacts, closes the journal. Later operations reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.serial(() => this.flushBatch());
    await this.compacting?.catch(noop);
    try {
      if (this.failed) throw this.failed;
      if (this.sinceSnapshot > 0 || this.retiredSeqs.length > 0) await this.runCompaction(true);
      else await this.serial(() => this.closeJournal(true)); // nothing new: leave only state.json
    } finally {
      await this.serial(() => this.closeJournal(false));
    }
  }

  /** MemoryStore's write listener: queues the journal line into the open batch. */
  private journal(key: string, rev: number, json: string | undefined): void {
    const k = JSON.stringify(key);
    this.next.lines.push(json === undefined ? `{"k":${k},"r":${rev},"d":true}\n` : `{"k":${k},"r":${rev},"v":${json}}\n`);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate rather than a microtask: writers woken by the previous commit
    // all get to queue their next write before this batch is cut.
    setImmediate(() => void this.serial(() => this.flushBatch()));
  }

  /** Appends and syncs everything queued so far as one batch. Never throws: a
   *  failure rejects the batch and breaks the store, because memory now holds
   *  writes the disk may not, and later batches must not pretend otherwise. */
  private async flushBatch(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.next;
    if (batch.lines.length === 0) return;
    this.next = new Batch();
    try {
      if (this.failed) throw this.failed;
      if (!this.fh) throw new Error('journal is not open');
      const data = Buffer.from(batch.lines.join(''), 'utf8');
      await this.fh.appendFile(data); // loops over short writes, unlike a bare write()
      if (this.sync) await this.fh.datasync();
      this.commits++;
      this.sinceSnapshot += data.length;
      batch.resolve();
    } catch (err) {
      this.failed ??= new Error(`FileStore ${this.dir}: journal write failed; reopen to recover: ${message(err)}`, { cause: err });
      batch.reject(this.failed);
      return;
    }
    if (this.sinceSnapshot >= this.compactEveryBytes) this.compactInBackground();
  }

  private async runCompaction(final: boolean): Promise<void> {
    try {
      // Retire the journal *before* copying the state: every write is then either
      // in the copy or in the new journal, so a crash anywhere below loses nothing.
      // Each key is written as it stands when its slice is built: at least as new as at the cut (a later
      // write is in the new journal too, and recovery keeps the newer revision), and a key made after the
      // cut is in the new journal alone.
      const { upTo, keys } = await this.serial(async () => {
        await this.rotate(!final);
        this.sinceSnapshot = 0;
        return { upTo: this.nextSeq - 1, keys: this.mem.keys() };
      });
      await this.writeSnapshot(keys);
      await this.dropRetired(upTo);
      this.compactions++;
      this.compactionError = undefined;
    } catch (err) {
      this.compactionError = err instanceof Error ? err : new Error(String(err));
      throw err;
    }
  }

  private async writeSnapshot(keys: readonly string[]): Promise<void> {
    // Temp file, synced, renamed: state.json is always whole. The rename is made durable before the
    // journals this snapshot replaces are dropped.
    await writeSnapshotFile(join(this.dir, SNAPSHOT), keys, (key) => this.mem.entry(key), this.sync);
    await syncDir(this.dir, this.sync);
  }

  /** Renames journal.ndjson to the next journal.<n>.ndjson (replayed in that
   *  order) and, unless closing, opens a new one. Runs on the serial chain. */
  private async rotate(reopen: boolean): Promise<void> {
    await this.closeJournal(false);
    const renamed = await rename(join(this.dir, JOURNAL), join(this.dir, retired(this.nextSeq))).then(() => true, ignoreMissing);
    if (renamed) this.retiredSeqs.push(this.nextSeq++);
    if (reopen) this.fh = await open(join(this.dir, JOURNAL), 'a');
    await syncDir(this.dir, this.sync); // the rename and the new file must survive a power cut too
  }

  private async dropRetired(upTo: number): Promise<void> {
    for (const seq of this.retiredSeqs.filter((s) => s <= upTo)) {
      await unlink(join(this.dir, retired(seq))).catch(ignoreMissing);
    }
    this.retiredSeqs = this.retiredSeqs.filter((s) => s > upTo);
  }

  private async closeJournal(remove: boolean): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
    if (remove) await unlink(join(this.dir, JOURNAL)).catch(ignoreMissing);
  }

  private compactInBackground(): void {
    if (this.closed || this.failed || this.compacting) return;
    this.compact().catch(noop); // recorded in compactionError; retried at the next threshold or close
  }

  private startTimer(ms: number | undefined): void {
    if (!ms) return;
    this.timer = setInterval(() => this.sinceSnapshot > 0 && this.compactInBackground(), ms);
    this.timer.unref();
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.tail.then(op);
    this.tail = run.catch(noop);
    return run;
  }

  private checkUsable(): void {
    if (this.closed) throw new Error(`FileStore ${this.dir} is closed`);
    if (this.failed) throw this.failed;
  }
}
