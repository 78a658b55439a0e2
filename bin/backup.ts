import type { StateStore } from '../store/state-store.js';
import { canSnapshot, type StoreSnapshot } from '../store/store-snapshot.js';
import { LEASE_KEY } from '../cluster/cluster-modes.js';
import type { Engine } from '../dispatch/engine.js';
import { formatModeTable } from '../dispatch/mode-table.js';
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupHeader } from './backup-file.js';

/** Keys that describe a moment, not the world: a switch lease in progress is void in a restored world. */
const NOT_BACKED_UP = new Set([LEASE_KEY]);

/** A consistent snapshot of the running world (accounts, objects with their timers and
 *  outboxes, the cluster's mode table), taken while play goes on. */
export async function takeBackup(store: StateStore, engine: Engine): Promise<{ header: BackupHeader; entries: StoreSnapshot['entries'] }> {
  if (!canSnapshot(store)) throw new Error(`the ${store.name} store cannot take a consistent snapshot`);
  const snapshot = await store.snapshot();
  const entries = snapshot.entries.filter((e) => !NOT_BACKED_UP.has(e.key));
  const header: BackupHeader = {
    format: BACKUP_FORMAT, version: BACKUP_VERSION, cut: snapshot.cut, taken: new Date().toISOString(), store: store.name,
    world: engine.currentWorld.definition.name, modes: formatModeTable(engine.modes), keys: entries.length,
  };
  return { header, entries };
}
