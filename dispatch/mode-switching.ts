import type { LoadedWorld } from './dispatcher.js';
import type { ModeTable } from './mode-table.js';

/** A switch asks for a table, or for a change to whatever table is current when it
 *  runs (`room/x=function` on top of the cluster's table, read under the switch lease). */
export type TableChange = ModeTable | ((current: ModeTable) => ModeTable);

export function resolveChange(change: TableChange, current: ModeTable): ModeTable {
  return typeof change === 'function' ? change(current) : change;
}
import type { SwitchResult } from './switch-barrier.js';

/** What a switch protocol may do to one gateway's engine: hold its turns, and
 *  (inside a hold, with no turn in flight) adopt a table at an epoch or a world. */
export interface SwitchHost {
  readonly modes: ModeTable;
  readonly epoch: number;
  /** Throws a one-line Error when the table names a mode this gateway cannot run. */
  check(table: ModeTable): void;
  /** Before the hold: starts what the table's modes run on if it waits for first use (embedded nodes), so the
   *  hold does not last a thread start. */
  prepare(table: ModeTable): Promise<void>;
  /** Holds new turns, hands back queued ones (`yieldQueued`), drains those running, runs `step`, resumes. */
  hold(step: () => Promise<void>, yieldQueued: boolean): Promise<SwitchResult>;
  /** Inside a hold: nodes release what changes mode (once per epoch), the table flips, later turns carry `epoch`. */
  adopt(table: ModeTable, epoch: number): Promise<void>;
  /** Inside a hold: later turns see this world. */
  applyWorld(world: LoadedWorld): Promise<void>;
}

/** Who decides the mode table and when it changes: this gateway alone
 *  (LocalSwitching), or the cluster's table in KV (cluster/cluster-switch.ts). */
export interface ModeSwitching {
  switchTo(change: TableChange): Promise<SwitchResult>;
  reload(world: LoadedWorld): Promise<SwitchResult>;
  /** A node refused a turn as stale: adopt the newer table if there is one. Resolves
   *  true when the epoch moved (the turn is routed again, not counted as a failure). */
  refresh(): Promise<boolean>;
  close(): void;
}

/** The single gateway's own table: the epoch still counts up, so the fencing path is one. */
export class LocalSwitching implements ModeSwitching {
  constructor(private readonly host: SwitchHost) {}

  async switchTo(change: TableChange): Promise<SwitchResult> {
    const table = resolveChange(change, this.host.modes);
    this.host.check(table);
    await this.host.prepare(table);
    return this.host.hold(() => this.host.adopt(table, this.host.epoch + 1), true);
  }

  reload(world: LoadedWorld): Promise<SwitchResult> {
    return this.host.hold(() => this.host.applyWorld(world), false);
  }

  async refresh(): Promise<boolean> {
    return false;
  }

  close(): void {}
}
