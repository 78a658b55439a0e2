import type { Command } from 'commander';
import { adminCall, adminFlags, adminTarget, runAdmin, type AdminTarget } from './admin-client.js';
import type { AdminClient } from '../tui/admin-actions.js';

export function monitorCommand(program: Command): void {
  adminFlags(program.command('monitor')
    .option('--json', 'print one JSON status line per frame instead of the screen (also without a terminal)')
    .description('watch a running server live: nodes, hot objects, store, events; keys switch modes, throw a party, add or kill nodes'))
    .action((o) => runAdmin(async () => {
      const target = await adminTarget(o);
      const json = !!o.json || !process.stdout.isTTY || !process.stdin.isTTY;
      // ink and React load only for this command, not for every `mud` start.
      const { runMonitor } = await import('../tui/run-monitor.js');
      await runMonitor({ target, admin: httpAdminClient(target), json });
      process.exit(0);
    }, 'monitor'));
}

export function httpAdminClient(target: AdminTarget): AdminClient {
  return { call: (method, path, body) => adminCall(target, method, path, body) };
}
