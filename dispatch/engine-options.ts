import type { Outlet } from './outlet.js';
import type { Logger } from '../support/logger.js';
import type { Dispatcher, LoadedWorld, ModeName } from './dispatcher.js';
import type { ModeTable } from './mode-table.js';
import type { ModeSwitching, SwitchHost } from './mode-switching.js';
import type { ScriptTimerLimits } from './script-timer-budget.js';

/** What an Engine (dispatch/engine.ts) is made of: the dispatchers of each mode, the table naming each object's
 *  mode, the world, where players' lines go, and the optional parts a cluster or an embedded server adds. */
export interface EngineOptions {
  dispatchers: Partial<Record<ModeName, Dispatcher>>;
  table: ModeTable;
  world: LoadedWorld;
  outlet: Outlet;
  log: Logger;
  /** Commands that may wait during a live switch before newcomers are told to retry. */
  maxHeld?: number;
  /** The mode-table epoch `table` is at (the cluster's, read from KV; 1 for a gateway alone). */
  epoch?: number;
  /** Who decides switches: this gateway alone (default), or the cluster (cluster/cluster-switch.ts). */
  switching?: (host: SwitchHost) => ModeSwitching;
  /** The world's budget for builder scripts' timers; default DEFAULT_SCRIPT_TIMER_BUDGET. */
  scriptTimers?: ScriptTimerLimits;
  /** Starts what a table's modes run on, if it waits for first use (embedded nodes: bin/dispatchers.ts). */
  prepare?: (table: ModeTable) => Promise<void>;
}
