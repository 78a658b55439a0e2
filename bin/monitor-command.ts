import type { Command } from 'commander';
import { adminCall, adminFlags, adminTarget, runAdmin, type AdminTarget } from './admin-client.js';
import type { AdminClient } from '../tui/admin-actions.js';
import { prepareTerminalColour } from '../tui/terminal-colour.js';

export function monitorCommand(program: Command): void {
  adminFlags(program.command('monitor')
    .option('--json', 'print one JSON status line per frame instead of the screen (also without a terminal)')
    .description('watch a running server live: nodes, hot objects, store, events; keys switch modes, throw a party, add or kill nodes'))
    .action((o) => runAdmin(async () => {
      const target = await adminTarget(o);
      const json = !!o.json || !process.stdout.isTTY || !process.stdin.isTTY;
      const { runMonitor } = await loadMonitor(json);
      await runMonitor({ target, admin: httpAdminClient(target), json });
      process.exit(0);
    }, 'monitor'));
}

/** Loads ink and React, only for the monitor (not for every `mud` start). On a
 *  terminal, ink must draw and chalk must colour even in a CI job's tmux:
 *  see tui/terminal-colour.ts. */
export async function loadMonitor(json: boolean): Promise<typeof import('../tui/run-monitor.js')> {
  if (!json && process.stdout.isTTY) prepareTerminalColour();
  return import('../tui/run-monitor.js');
}

export function httpAdminClient(target: AdminTarget): AdminClient {
  return { call: (method, path, body) => adminCall(target, method, path, body) };
}
