import type { StateStore } from '../../store/state-store.js';
import type { WorldDefinition } from '../../world/files/world-def.js';
import { itemHolders, readRecords } from '../../ops/item-audit.js';

/** Items held by no one or by more than one holder (empty when every item exists exactly once). */
export async function conservationErrors(store: StateStore, world: WorldDefinition): Promise<string[]> {
  const errors: string[] = [];
  for (const [item, where] of itemHolders(await readRecords(store), world)) {
    if (where.length !== 1) errors.push(`${item} is held by ${where.length ? where.join(', ') : 'nobody'}`);
  }
  return errors;
}
