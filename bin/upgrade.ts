// `mud upgrade`, the gateway's side: start a successor from the code now on
// disk, and once it has loaded, hand it every session (socket and state), then
// the listening sockets, then exit. Players see one line and keep playing.
//
// The order is what makes it safe. Nothing is let go of until the successor has
// imported the whole new build: a broken build fails there, and this process
// has not paused anyone. Then the doors hold new connections (unread), every
// session finishes its running command and stops reading, the store is closed
// and the data dir unlocked, and the sockets travel with `keepOpen`: if the
// successor dies before it says it serves, this process takes all of it up
// again (startServer with the same doors and sessions). The listening sockets
// travel last, after the successor serves, so no connection is ever refused.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../support/logger.js';
import type { UpgradeOutcome } from '../portal/handover.js';
import type { Door } from '../portal/door.js';
import { startServer } from './server.js';
import type { RunningServer, ServerOptions } from './server-options.js';
import { heldConnections } from './server-handover.js';
import { SUCCESSOR_ENV, SuccessorLink, type GatewayIdentity } from './successor-link.js';

/** The successor has this long to import the new build and say so. */
const READY_MS = 60_000;
/** And this long to open the store, start its nodes and take the sessions. */
const UP_MS = 120_000;
/** How long the old process waits for its answer to leave before it exits anyway. */
const LEAVE_MS = 5_000;
/** The variable naming another entry file for the successor (default: this process's own, as rebuilt on disk). */
export const UPGRADE_ENTRY_ENV = 'MUD_UPGRADE_ENTRY';

/** Loads the successor's entry in a way that reports a broken build over the channel, not only on stderr. */
const BOOT = `import(require('node:url').pathToFileURL(process.argv[1]).href).catch((err) => {
  const why = 'the new build does not load: ' + String((err && err.message) || err).split('\\n')[0];
  process.stderr.write('mud serve: ' + why + '\\n');
  if (process.send) process.send({ t: 'failed', why }, () => process.exit(1)); else process.exit(1);
});`;

export interface UpgraderDeps {
  options: ServerOptions;
  log: Logger;
  /** The server running now (a failed upgrade replaces it with a stack restarted here). */
  current(): RunningServer;
  replace(server: RunningServer): void;
  /** The `mud` entry file and the arguments this process was started with. */
  entry: string;
  args: string[];
  /** Why this server cannot be upgraded in place, if it cannot. */
  refusal?: string;
  /** A cluster gateway whose successor failed joins the cluster again, as the same instance, before its stack restarts. */
  rejoin?(gateway: GatewayIdentity): Promise<void>;
}

export class Upgrader {
  private running: Promise<UpgradeOutcome> | undefined;

  constructor(private readonly deps: UpgraderDeps) {}

  upgrade(by: string): Promise<UpgradeOutcome> {
    if (this.deps.refusal) return Promise.resolve({ ok: false, error: this.deps.refusal });
    if (this.running) return Promise.resolve({ ok: false, error: 'an upgrade is already under way' });
    this.running = this.run(by).catch((err: Error) => this.failed(by, `the upgrade broke off: ${err.message}`)).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(by: string): Promise<UpgradeOutcome> {
    const { log, entry } = this.deps;
    log.info('upgrade', { by, entry });
    const child = spawn(process.execPath, [...process.execArgv, '-e', BOOT, entry, ...this.deps.args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, [SUCCESSOR_ENV]: '1' },
    });
    const link = new SuccessorLink(child);
    try {
      await link.next('ready', READY_MS);
    } catch (err) {
      child.kill('SIGKILL');
      return this.failed(by, `the new server did not start (${(err as Error).message}); nothing was handed over and this one goes on`);
    }
    const started = performance.now();
    const server = this.deps.current();
    const doors = server.doors;
    // A gateway of a cluster: its successor goes on as this instance (no gateway leaves the cluster).
    const member = this.deps.options.cluster?.gateways;
    const gateway = member && { id: member.id, instance: member.instance };
    const { sessions, release } = await server.handOver();
    const fresh = heldConnections(doors);
    let pid: number;
    try {
      for (const s of sessions) await link.send({ t: 'session', state: s.state }, s.socket);
      for (const f of fresh) await link.send({ t: 'fresh', door: f.door }, f.socket);
      await release();
      await link.send({ t: 'go', ports: { telnet: doors.telnet.port, http: doors.http.port, admin: doors.admin.port }, by: isPlayer(by) ? by : undefined, gateway });
      pid = (await link.next('up', UP_MS)).pid;
    } catch (err) {
      child.kill('SIGKILL');
      const why = (err as Error).message;
      log.error('upgrade failed', { why, action: 'taking every session back' });
      await release();
      if (gateway && this.deps.rejoin) await this.deps.rejoin(gateway);
      const notice = `Upgrade failed: the new server did not take over (${why}); this one goes on.`;
      const again = await startServer({ ...this.deps.options, doors, adopted: { sessions, fresh: [...fresh, ...heldConnections(doors)], by: isPlayer(by) ? by : undefined, notice } });
      this.deps.replace(again);
      return { ok: false, error: `the new server did not take over (${why}); this one took every session back and goes on` };
    }
    const pausedMs = Math.round(performance.now() - started);
    // It serves: it gets the listening sockets, and what they accepted meanwhile follows them.
    const all = Object.values(doors) as Door[];
    for (const door of all) await link.send({ t: 'door', name: door.name }, door.listening);
    for (const door of all) door.close();
    for (const f of heldConnections(doors)) await link.send({ t: 'fresh', door: f.door }, f.socket);
    child.disconnect();
    child.unref();
    const players = sessions.filter((s) => s.state.play).length;
    log.info('upgraded', { successor: pid, sessions: sessions.length, players, pausedMs });
    // This process has nothing left to do but answer whoever asked: it exits once the answer is out
    // (`leave`), or LEAVE_MS on. A fixed short delay lost the admin API's answer on a loaded machine.
    const fallback = setTimeout(() => process.exit(0), LEAVE_MS);
    const leave = (): void => {
      clearTimeout(fallback);
      setImmediate(() => process.exit(0));
    };
    return { ok: true, pid, sessions: sessions.length, players, pausedMs, leave };
  }

  private failed(by: string, error: string): UpgradeOutcome {
    this.deps.log.error('upgrade failed', { by, why: error });
    if (isPlayer(by)) this.deps.current().registry.tell(by as `player/${string}`, `Upgrade failed: ${error}.`);
    return { ok: false, error };
  }
}

const isPlayer = (by: string): boolean => by.startsWith('player/');

/** Runs in a successor: sends a message to its predecessor, if it has one. */
export function tellPredecessor(message: { t: 'failed'; why: string } | { t: 'ready' } | { t: 'up'; pid: number }): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}
