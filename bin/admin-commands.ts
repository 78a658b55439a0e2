import type { Command } from 'commander';
import { adminCall, adminFlags, adminTarget, runAdmin } from './admin-client.js';
import type { Status } from '../ops/status.js';
import type { SwitchResult } from '../dispatch/switch-barrier.js';
import { describePause } from '../dispatch/switch-pause.js';
import { formatStatus } from '../ops/status-text.js';
import type { CertificateFacts } from '../portal/serving-certificate.js';
import { MODES } from '../modes/registry.js';

export function adminCommands(program: Command): void {
  adminFlags(program.command('dispatch')
    .argument('<spec>', `${MODES.join(' | ')} | kind=mode,... | room/mystical_plaza=function`)
    .description('switch the running server\'s dispatch mode live (players stay; nothing is lost)'))
    .action((spec: string, o) => runAdmin(async () => {
      const r = await adminCall<{ modes: string } & SwitchResult>(await adminTarget(o), 'POST', '/admin/dispatch', { spec });
      process.stdout.write(`dispatch: ${r.modes} (${describePause(r)})\n`);
    }, 'dispatch'));

  adminFlags(program.command('status')
    .option('--json', 'one JSON object instead of text')
    .description('mode, nodes, store, players and the hottest objects of a running server'))
    .action((o) => runAdmin(async () => {
      const s = await adminCall<Status>(await adminTarget(o), 'GET', '/admin/status');
      process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : formatStatus(s));
    }, 'status'));

  adminFlags(program.command('reload')
    .option('--tls', 'instead: re-read the TLS certificate and key files (new connections get them; open ones keep theirs)')
    .description('re-read the world files live (refused, with the errors, if they are broken)'))
    .action((o) => runAdmin(async () => {
      if (o.tls) {
        const c = await adminCall<CertificateFacts>(await adminTarget(o), 'POST', '/admin/tls');
        process.stdout.write(`tls certificate reloaded: ${c.subject}, valid to ${c.validTo}, sha256 ${c.fingerprint}\n`);
        return;
      }
      const r = await adminCall<{ pausedMs: number }>(await adminTarget(o), 'POST', '/admin/reload');
      process.stdout.write(`world reloaded (players paused ${Math.round(r.pausedMs)} ms)\n`);
    }, 'reload'));

  adminFlags(program.command('nodes')
    .argument('<action>', 'add | remove | kill')
    .argument('[node]', 'node id for remove/kill (default: the last one)')
    .description('add a node, stop one politely, or kill one (fault injection: it is replaced)'))
    .action((action: string, node: string | undefined, o) => runAdmin(async () => {
      const r = await adminCall<{ nodes: string[]; message: string }>(await adminTarget(o), 'POST', '/admin/nodes', { action, node });
      process.stdout.write(`${r.message}; nodes: ${r.nodes.join(', ')}\n`);
    }, 'nodes'));

  adminFlags(program.command('upgrade')
    .description('start the server anew from the code on disk and hand it every connection: players see one line and keep playing; a successor that fails to start leaves this one serving'))
    .action((o) => runAdmin(async () => {
      const r = await adminCall<{ pid: number; sessions: number; players: number; pausedMs: number }>(await adminTarget(o), 'POST', '/admin/upgrade', {}, 200_000);
      process.stdout.write(`upgraded: pid ${r.pid} serves now; ${r.sessions} connection${r.sessions === 1 ? '' : 's'} (${r.players} in play) handed over; input paused ${r.pausedMs} ms\n`);
    }, 'upgrade'));
}
