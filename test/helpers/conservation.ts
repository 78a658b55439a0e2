import type { StateStore } from '../../store/state-store.js';
import type { WorldDefinition } from '../../world/files/world-def.js';
import { itemHolders, readRecords } from '../../ops/item-audit.js';
import { coinErrors } from '../../ops/coin-audit.js';
import { MemoryStore } from '../../store/memory-store.js';
import { readBackup } from '../../bin/backup-file.js';

/** Items held by no one or by more than one holder, and coins made or lost (empty when every item
 *  exists exactly once and the coins held add up to the coins the world made). */
export async function conservationErrors(store: StateStore, world: WorldDefinition): Promise<string[]> {
  const records = await readRecords(store);
  const errors: string[] = coinErrors(records, world);
  for (const [item, where] of itemHolders(records, world)) {
    if (where.length !== 1) errors.push(`${item} is held by ${where.length ? where.join(', ') : 'nobody'}`);
  }
  return errors;
}

/** A `mud backup` file in a store of its own: the one consistent snapshot of a server that is still running. */
export async function backupStore(file: string): Promise<StateStore> {
  const store = new MemoryStore();
  for (const e of (await readBackup(file)).entries) await store.put(e.key, e.value);
  return store;
}

/** The same of a `mud backup` file. */
export async function backupConservationErrors(file: string, world: WorldDefinition): Promise<string[]> {
  return conservationErrors(await backupStore(file), world);
}
