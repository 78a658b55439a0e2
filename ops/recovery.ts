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

/** How many times recovery audits and delivers: a delivery can show what the first audit could not see. */
const MAX_PASSES = 3;

/** After an unclean stop, delivers again the item and coin transfers a crash left
 *  between two objects, so every item exists exactly once, and every coin, before anyone plays.
 *  The audit reads the records once per pass; what it delivers changes them (a thing laid in a corpse
 *  the crash left unborn makes its record), so it audits again until nothing is left to deliver,
 *  as a restart right after this one would. */
export async function recoverStrandedItems(store: StateStore, world: WorldDefinition, engine: Engine, log: Logger): Promise<void> {
  const started = performance.now();
  let redelivered = 0;
  let problems: string[] = [];
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const records = await readRecords(store);
    const { resend, unresolved } = strandedTransfers(records, world);
    const coins = strandedCoins(records, world);
    const all = [...resend, ...coins.resend];
    problems = [...unresolved, ...coins.unresolved];
    if (all.length > 0 && pass === MAX_PASSES) problems.push(`${all.length} transfers still stranded after ${MAX_PASSES} passes of delivery`);
    if (all.length === 0 || pass === MAX_PASSES) break;
    for (const r of all) await engine.redeliver(r.to, r.msg);
    redelivered += all.length;
  }
  for (const u of problems) log.error('item audit', { problem: u });
  log.info('recovered after crash', { redelivered, unresolved: problems.length, ms: Math.round(performance.now() - started) });
}
