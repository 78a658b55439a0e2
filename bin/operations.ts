import type { Ref } from '../world/types.js';
import type { Engine } from '../dispatch/engine.js';
import { formatModeTable, parseModeSpec } from '../dispatch/mode-table.js';
import type { Logger } from '../cluster/logger.js';
import type { WizardCommands } from '../net/session-host.js';
import { loadLiveWorld, WorldLoadError } from './live-world.js';

export interface OperationsDeps {
  engine: Engine;
  log: Logger;
  worldPath: string;
  shutdown(): void;
}

/** The server's operations, one implementation behind every way to ask for
 *  them: a wizard's `@` commands, the admin API, the monitor's keys. */
export class Operations implements WizardCommands {
  constructor(private readonly deps: OperationsDeps) {}

  /** Re-reads the world files; a broken world is refused and the running one stays. */
  async reload(): Promise<{ ok: true; pausedMs: number } | { ok: false; errors: string[] }> {
    let world;
    try {
      world = await loadLiveWorld(this.deps.worldPath);
    } catch (err) {
      const errors = err instanceof WorldLoadError ? err.lines : [String((err as Error).message)];
      this.deps.log.warn('reload refused', { path: this.deps.worldPath, errors: errors.length });
      return { ok: false, errors };
    }
    const { pausedMs } = await this.deps.engine.setWorld(world);
    this.deps.log.info('world reloaded', { path: this.deps.worldPath, pausedMs: round(pausedMs) });
    return { ok: true, pausedMs };
  }

  /** Switches dispatch modes live; throws a one-line Error on a bad spec. */
  async dispatch(spec: string, by: string): Promise<{ modes: string; pausedMs: number; held: number }> {
    const table = parseModeSpec(spec, this.deps.engine.modes);
    const before = formatModeTable(this.deps.engine.modes);
    const { pausedMs, held } = await this.deps.engine.switchTo(table);
    const modes = formatModeTable(table);
    this.deps.log.info('mode switched', { from: before, to: modes, pausedMs: round(pausedMs), held, by });
    return { modes, pausedMs, held };
  }

  async wizardCommand(verb: string, rest: string, wizard: Ref): Promise<string> {
    switch (verb) {
      case '@reload': {
        const r = await this.reload();
        return r.ok ? `World reloaded (players paused ${round(r.pausedMs)} ms).` : `Reload refused; the world stays as it was:\n${r.errors.join('\n')}`;
      }
      case '@dispatch': {
        if (!rest) return `Dispatch: ${formatModeTable(this.deps.engine.modes)}`;
        try {
          const r = await this.dispatch(rest, wizard);
          return `Dispatch now: ${r.modes} (players paused ${round(r.pausedMs)} ms, ${r.held} turns held).`;
        } catch (err) {
          return `Dispatch unchanged: ${(err as Error).message}`;
        }
      }
      case '@shutdown':
        setTimeout(() => this.deps.shutdown(), 50);
        return 'Shutting down: everything is being saved.';
      default:
        return `Unknown wizard command ${verb}.`;
    }
  }
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
