import type { Ref } from '../world/core/types.js';
import type { Dispatcher, LoadedWorld, ModeName } from './dispatcher.js';
import { modeOf, modesIn, type ModeTable } from './mode-table.js';

/** The gateway's dispatchers, one per mode it serves: which one an object's turns go to, and what a
 *  switch or a world reload does to every one of them. */
export class ModeDispatchers {
  /** `start`: starts what a table's modes run on, if it waits for first use (bin/dispatchers.ts: embedded nodes). */
  constructor(private readonly byMode: Partial<Record<ModeName, Dispatcher>>, private readonly start?: (table: ModeTable) => Promise<void>) {}

  async prepare(table: ModeTable): Promise<void> {
    await this.start?.(table);
  }

  /** The dispatcher the object's turns go to under `table`. */
  of(table: ModeTable, ref: Ref): Dispatcher {
    const mode = modeOf(table, ref);
    return this.byMode[mode] ?? this.byMode['in-process']!;
  }

  check(table: ModeTable): void {
    for (const mode of modesIn(table)) {
      if (!this.byMode[mode]) throw new Error(`mode ${mode} is not available on this server (start it with --nodes N)`);
    }
  }

  stampEpoch(epoch: number): void {
    for (const d of Object.values(this.byMode)) d!.stampEpoch?.(epoch);
  }

  yieldQueued(): void {
    for (const d of Object.values(this.byMode)) d!.yieldQueued?.();
  }

  async release(table: ModeTable): Promise<void> {
    for (const d of Object.values(this.byMode)) await d!.release(table);
  }

  async setWorld(world: LoadedWorld): Promise<void> {
    for (const d of Object.values(this.byMode)) await d!.setWorld(world);
  }
}
