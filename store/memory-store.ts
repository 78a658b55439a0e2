// The in-memory StateStore: tests, single-process runs, and the state inside
// FileStore. Values are kept as their JSON text, not as object graphs: an idle
// object then costs one string, and no caller can ever hold (and mutate) the
// store's own copy; `get` parses a fresh value each time.

import type { Json } from '../world/core/types.js';
import type { CasResult, JsonCasResult, JsonTextStore, JsonVersioned, StateStore, StoreStats, Versioned } from './state-store.js';
import { toJsonText } from './record-json.js';

/** One key's cell, updated in place so a write to an existing key allocates
 *  nothing but the new JSON text. `json` undefined marks a deleted key (a
 *  tombstone): it reads as absent but keeps its revision, so re-creating the key
 *  continues from old revision + 1. A writer still holding a revision from before
 *  the delete can therefore never match the new incarnation (no ABA). The price:
 *  a deleted key costs its name and a number until the process ends (and, in
 *  FileStore, in the snapshot, where the tombstones also keep old journal entries
 *  from resurrecting a deleted key on recovery). */
interface Slot {
  rev: number;
  json: string | undefined;
}

/** A key in a snapshot: [revision, value as JSON text, or null when deleted]. */
export type SnapshotEntry = [revision: number, json: string | null];

/** Called synchronously after every successful write, with the key's new
 *  revision and JSON text (undefined for a delete). FileStore journals through it. */
export type WriteListener = (key: string, revision: number, json: string | undefined) => void;

export class MemoryStore implements StateStore, JsonTextStore {
  readonly name: string = 'memory';
  readonly revisionsStepByOne = true;
  /** Set by a composing store (FileStore) to see every write as it applies. */
  onWrite: WriteListener | undefined;
  private readonly slots = new Map<string, Slot>();
  private readonly counters: StoreStats = { reads: 0, writes: 0, casConflicts: 0, commits: 0 };
  private closed = false;

  async get(key: string): Promise<Versioned | undefined> {
    this.checkOpen();
    return this.getSync(key);
  }

  async cas(key: string, value: Json, expected: number): Promise<CasResult> {
    this.checkOpen();
    return this.casSync(key, value, expected);
  }

  async put(key: string, value: Json): Promise<number> {
    this.checkOpen();
    return this.putSync(key, value);
  }

  async delete(key: string, expected?: number): Promise<boolean> {
    this.checkOpen();
    return this.deleteSync(key, expected);
  }

  async scan(prefix: string): Promise<Array<{ key: string } & Versioned>> {
    this.checkOpen();
    return this.scanSync(prefix);
  }

  /** `reads` counts gets and scans (one per scan); `writes` counts applied
   *  writes; `casConflicts` counts failed cas and failed conditional deletes. */
  stats(): StoreStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  // --- Synchronous core, shared with FileStore (which adds durability around it).

  getSync(key: string): Versioned | undefined {
    this.counters.reads++;
    const slot = this.slots.get(key);
    if (slot === undefined || slot.json === undefined) return undefined;
    return { value: JSON.parse(slot.json) as Json, revision: slot.rev };
  }

  casSync(key: string, value: Json, expected: number): CasResult {
    const slot = this.slots.get(key);
    const live = slot !== undefined && slot.json !== undefined;
    if ((live ? slot.rev : 0) !== expected) {
      this.counters.casConflicts++;
      return { ok: false, current: live ? this.versioned(slot) : undefined };
    }
    // Serialise only once the write is known to go ahead: conflicts stay cheap.
    return { ok: true, revision: this.write(key, slot, toJsonText(value)) };
  }

  getJsonSync(key: string): JsonVersioned | undefined {
    this.counters.reads++;
    const slot = this.slots.get(key);
    if (slot === undefined || slot.json === undefined) return undefined;
    return { json: slot.json, revision: slot.rev };
  }

  /** cas with the value already serialised (by the caller, on its own thread). */
  casJsonSync(key: string, json: string, expected: number): JsonCasResult {
    const slot = this.slots.get(key);
    const live = slot !== undefined && slot.json !== undefined;
    if ((live ? slot.rev : 0) !== expected) {
      this.counters.casConflicts++;
      return { ok: false, current: live ? { json: slot.json!, revision: slot.rev } : undefined };
    }
    return { ok: true, revision: this.write(key, slot, json) };
  }

  async getJsonIfChanged(key: string, known: number): Promise<JsonVersioned | { unchanged: true } | undefined> {
    this.checkOpen();
    const slot = this.slots.get(key);
    if (slot !== undefined && slot.json !== undefined && slot.rev === known) {
      this.counters.reads++;
      return { unchanged: true };
    }
    return this.getJsonSync(key);
  }

  async getJson(key: string): Promise<JsonVersioned | undefined> {
    this.checkOpen();
    return this.getJsonSync(key);
  }

  async casJson(key: string, json: string, expected: number): Promise<JsonCasResult> {
    this.checkOpen();
    return this.casJsonSync(key, json, expected);
  }

  putSync(key: string, value: Json): number {
    return this.write(key, this.slots.get(key), toJsonText(value));
  }

  deleteSync(key: string, expected?: number): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined || slot.json === undefined) return false;
    if (expected !== undefined && slot.rev !== expected) {
      this.counters.casConflicts++;
      return false;
    }
    this.write(key, slot, undefined);
    return true;
  }

  /** Every live key with its JSON text, in no order: one pass, nothing parsed (a snapshot of a million keys). */
  entriesJsonSync(): Array<{ key: string; json: string }> {
    const out: Array<{ key: string; json: string }> = [];
    for (const [key, slot] of this.slots) if (slot.json !== undefined) out.push({ key, json: slot.json });
    return out;
  }

  scanSync(prefix: string): Array<{ key: string } & Versioned> {
    this.counters.reads++;
    const keys: string[] = [];
    for (const [key, slot] of this.slots) {
      if (slot.json !== undefined && key.startsWith(prefix)) keys.push(key);
    }
    keys.sort();
    return keys.map((key) => ({ key, ...this.versioned(this.slots.get(key)!) }));
  }

  /** Recovery: sets a key to a known revision unless it already holds that
   *  revision or a later one (journal entries already covered by the snapshot). */
  load(key: string, revision: number, json: string | undefined): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) this.slots.set(key, { rev: revision, json });
    else if (slot.rev < revision) {
      slot.rev = revision;
      slot.json = json;
    } else return false;
    return true;
  }

  /** Every key, tombstones included: what a snapshot writes (`entry` reads each as it stands). */
  keys(): string[] {
    return [...this.slots.keys()];
  }

  /** A key as a snapshot holds it, tombstone included; undefined when the key was never written. */
  entry(key: string): SnapshotEntry | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : [slot.rev, slot.json ?? null];
  }

  /** Keys held, tombstones included. */
  get size(): number {
    return this.slots.size;
  }

  private write(key: string, slot: Slot | undefined, json: string | undefined): number {
    let rev: number;
    if (slot === undefined) {
      rev = 1;
      this.slots.set(key, { rev, json });
    } else {
      rev = ++slot.rev;
      slot.json = json;
    }
    this.counters.writes++;
    this.onWrite?.(key, rev, json);
    return rev;
  }

  private versioned(slot: Slot): Versioned {
    return { value: JSON.parse(slot.json!) as Json, revision: slot.rev };
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`${this.name} store is closed`);
  }
}
