/** Every live key of a store as of one instant: a consistent cut, the image a
 *  crash at that instant would leave (turns commit one record each, and an item
 *  on its way between two records is in its sender's outbox: recovery delivers it). */
export interface StoreSnapshot {
  /** Each value as JSON text: a million records cross to the backup file without being parsed here. */
  entries: Array<{ key: string; json: string }>;
  /** Where the cut is, in the store's terms: `file@<time>`, or `nats-kv:<bucket>@<stream sequence>`. */
  cut: string;
}

/** A store that can take a snapshot without stopping its writers. */
export interface SnapshotSource {
  snapshot(): Promise<StoreSnapshot>;
}

export function canSnapshot(store: object): store is SnapshotSource {
  return typeof (store as Partial<SnapshotSource>).snapshot === 'function';
}
