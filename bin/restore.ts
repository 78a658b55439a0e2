import type { StateStore } from '../store/state-store.js';
import type { Json } from '../world/core/types.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import { itemHolders, strandedTransfers } from '../ops/item-audit.js';
import { coinLedger, strandedCoins } from '../ops/coin-audit.js';
import type { BackupEntry, BackupHeader } from './backup-file.js';

/** Written by a restore, taken by the first start on the restored store: the snapshot is a
 *  crash image, so that start delivers the item transfers it caught midway (ops/recovery.ts). */
export const RESTORED_KEY = 'meta/restored';
const WRITES_AT_ONCE = 2048;

export interface ItemAudit {
  items: number;
  /** Items between two holders at the cut, carried by an undelivered message: delivered at the first start. */
  inFlight: number;
  /** Coins held at the cut (purses, floors, tills, trades' escrow). */
  coins: number;
  /** Coin messages undelivered at the cut that make up the rest of what the world made: delivered at the first start. */
  coinsInFlight: number;
  /** Items held twice, or held by nobody and carried by no message; coins made from nothing, or lost. */
  problems: string[];
}

/** The audit of a backup's records: every item held exactly once, or on its way in exactly one message, and
 *  every coin the world made held by someone or on its way, as crash recovery counts them. */
export function auditEntries(entries: BackupEntry[], world: WorldDefinition): ItemAudit {
  const records = new Map(entries.filter((e) => /^(room|item|player)\//.test(e.key)).map((e) => [e.key, e.value as never]));
  const items = strandedTransfers(records, world);
  const coins = strandedCoins(records, world);
  return {
    items: itemHolders(records, world).size, inFlight: items.resend.length,
    coins: coinLedger(records, world).held, coinsInFlight: coins.resend.length,
    problems: [...items.unresolved, ...coins.unresolved],
  };
}

/** Loads a backup into a store that must be empty, unless `force`: then what it holds goes first. */
export async function restoreInto(store: StateStore, backup: { header: BackupHeader; entries: BackupEntry[] }, force: boolean): Promise<{ replaced: number }> {
  const existing = await store.scan('');
  if (existing.length > 0 && !force) {
    throw new Error(`refusing to restore into a store that holds ${existing.length} keys (a world is there): pass --force to replace it`);
  }
  await inBatches(existing, (e) => store.delete(e.key));
  await inBatches(backup.entries, (e) => store.put(e.key, e.value));
  await store.put(RESTORED_KEY, { cut: backup.header.cut, at: new Date().toISOString() } as Json);
  return { replaced: existing.length };
}

/** True once per restore: the restore mark, removed. */
export async function takeRestoreMark(store: StateStore): Promise<{ cut: string } | undefined> {
  const mark = await store.get(RESTORED_KEY);
  if (!mark) return undefined;
  await store.delete(RESTORED_KEY);
  return mark.value as { cut: string };
}

/** Writes go in groups, so a group commit (or a KV round trip) carries many. */
async function inBatches<T>(items: T[], write: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += WRITES_AT_ONCE) await Promise.all(items.slice(i, i + WRITES_AT_ONCE).map(write));
}
