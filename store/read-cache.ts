import type { Json } from '../world/core/types.js';
import { OldestFirstMap } from '../support/oldest-first-map.js';

/** A node's cache of values it read or wrote, by key, with their revision.
 *  Never trusted on its own: a read asks the store whether the cached revision
 *  is still current (the answer is tiny when it is), so the cache saves moving
 *  and parsing big records (a crowded room), never correctness. Values are
 *  shared, not copied: turns never mutate state (handlers return new objects,
 *  scripts get their own JSON copies). Bounded; the oldest entry goes first. */
export class ReadCache<V = Json> {
  private readonly entries = new OldestFirstMap<string, { revision: number; value: V }>();

  constructor(private readonly capacity = 10_000) {}

  get(key: string): { revision: number; value: V } | undefined {
    return this.entries.get(key);
  }

  set(key: string, revision: number, value: V): void {
    this.entries.set(key, { revision, value });
    this.entries.dropOldestWhile(() => this.entries.size > this.capacity);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
