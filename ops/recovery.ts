import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StateStore } from '../store/state-store.js';
import type { Logger } from '../support/logger.js';
import type { Engine } from '../dispatch/engine.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import { readRecords, strandedTransfers } from './item-audit.js';
import { strandedCoins } from './coin-audit.js';

const MARKER = 'running';

/** Marks the data dir as in use; returns whether the last run ended without a clean shutdown. */
export async function markRunning(dataDir: string, gateway?: string): Promise<boolean> {
  const file = join(dataDir, markerOf(gateway));
  const dirty = await access(file).then(() => true, () => false);
  await writeFile(file, `${process.pid}\n`);
  return dirty;
}

export async function markStopped(dataDir: string, gateway?: string): Promise<void> {
  await rm(join(dataDir, markerOf(gateway)), { force: true });
}

/** One gateway of a cluster marks its own run (gateways on one machine may share a data dir). */
function markerOf(gateway?: string): string {
  return gateway ? `${MARKER}-${gateway}` : MARKER;
}

/** After an unclean stop, delivers again the item and coin transfers a crash left
 *  between two objects, so every item exists exactly once, and every coin, before anyone plays. */
export async function recoverStrandedItems(store: StateStore, world: WorldDefinition, engine: Engine, log: Logger): Promise<void> {
  const started = performance.now();
  const records = await readRecords(store);
  const { resend, unresolved } = strandedTransfers(records, world);
  const coins = strandedCoins(records, world);
  for (const r of [...resend, ...coins.resend]) await engine.redeliver(r.to, r.msg);
  for (const u of [...unresolved, ...coins.unresolved]) log.error('item audit', { problem: u });
  log.info('recovered after crash', { redelivered: resend.length + coins.resend.length, unresolved: unresolved.length + coins.unresolved.length, ms: Math.round(performance.now() - started) });
}
