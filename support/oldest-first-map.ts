// A bounded memory that forgets its oldest entries first, in the order they were set (a key set again counts
// as new). A plain Map keeps that order, but taking its oldest key (`keys().next()`) is not O(1): V8 leaves a
// deleted entry's slot in the table until it is rebuilt, and iteration steps over every such slot. Deleting the
// oldest entry one by one therefore walks all the slots deleted since the last rebuild: 36 us an eviction at
// 50,000 entries, 90 us at 100,000 (docs/BENCHMARKS.md, "The gateway's CPU per command"). Here the order is an
// array of the cells the Map holds: one set, one eviction, O(1) amortised.

interface Cell<K, V> {
  key: K;
  value: V;
}

/** Cells an order array may hold beyond the live ones before it is rebuilt: superseded and deleted cells. */
const SLACK = 1024;
/** What a slot before `head` holds once passed. */
const GONE: Cell<unknown, unknown> = { key: undefined, value: undefined };

export class OldestFirstMap<K, V> {
  private readonly cells = new Map<K, Cell<K, V>>();
  /** The cells in the order they were set, oldest from `head` on; a cell the map no longer holds is skipped. */
  private order: Array<Cell<K, V>> = [];
  private head = 0;

  get size(): number {
    return this.cells.size;
  }

  get(key: K): V | undefined {
    return this.cells.get(key)?.value;
  }

  /** Sets `key` to `value`, as the newest entry. */
  set(key: K, value: V): void {
    this.release(this.cells.get(key));
    const cell = { key, value };
    this.cells.set(key, cell);
    this.order.push(cell);
    if (this.order.length - this.head > 2 * this.cells.size + SLACK) this.rebuild();
  }

  delete(key: K): boolean {
    const cell = this.cells.get(key);
    this.release(cell);
    return this.cells.delete(key);
  }

  /** Forgets entries, oldest first, while `drop` says so of the oldest (it may read `size`). */
  dropOldestWhile(drop: (key: K, value: V) => boolean): void {
    while (this.head < this.order.length) {
      const cell = this.order[this.head];
      if (this.cells.get(cell.key) === cell) {
        if (!drop(cell.key, cell.value)) break;
        this.cells.delete(cell.key);
      }
      this.order[this.head] = GONE as Cell<K, V>; // what it held is garbage now, not kept until the next rebuild
      this.head += 1;
    }
    if (this.head > SLACK && this.head * 2 > this.order.length) this.rebuild();
  }

  /** A cell the map no longer holds keeps no value alive while it waits in the order array. */
  private release(cell: Cell<K, V> | undefined): void {
    if (cell) cell.value = undefined as V;
  }

  /** The order array with only the live cells, oldest first. */
  private rebuild(): void {
    const live: Array<Cell<K, V>> = [];
    for (let i = this.head; i < this.order.length; i++) {
      const cell = this.order[i];
      if (this.cells.get(cell.key) === cell) live.push(cell);
    }
    this.order = live;
    this.head = 0;
  }
}
