import type { Server as TcpServer } from 'node:net';
import type { Logger } from '../support/logger.js';
import type { StateStore } from '../store/state-store.js';
import type { Engine } from '../dispatch/engine.js';
import type { StatusCollector } from '../ops/status-collector.js';
import { markStopped } from '../ops/recovery.js';
import type { ClusterCarrier } from '../cluster/gateways.js';
import type { ClusterOutlet } from '../cluster/cluster-outlet.js';
import type { ClusterTimers } from '../cluster/cluster-timers.js';
import type { Doors } from '../portal/door.js';
import type { Session } from '../portal/session.js';
import type { SessionRegistry } from '../portal/session-registry.js';
import type { ClusterSessions } from '../portal/cluster-sessions.js';
import type { HttpServer } from '../portal/http-server.js';
import type { ServerMetrics } from '../portal/metrics.js';
import type { PasswordHasher } from '../portal/password-hasher.js';
import type { DataDirLock } from './data-dir-lock.js';
import type { DispatchSetup } from './dispatchers.js';
import type { GhostReaper } from './ghost-reaper.js';
import type { Operations } from './operations.js';
import { handOffSessions, holdSessionsStill, type HandedSession } from './server-handover.js';

/** What a running server stops (bin/server.ts builds it), in the order its two ways of stopping need. */
export interface ServerParts {
  log: Logger;
  registry: SessionRegistry<Session>;
  /** Every session, logged in or not: what a hand-over lets go of. */
  live: Set<Session>;
  stopRejoins: (() => void) | undefined;
  reaper: GhostReaper | undefined;
  /** The in-process objects' passivation and the idle players' sweep. */
  intervals: NodeJS.Timeout[];
  doors: Doors;
  telnetTls: TcpServer | undefined;
  cluster: ClusterSessions | undefined;
  clusterOutlet: ClusterOutlet | undefined;
  engine: Engine;
  clusterTimers: ClusterTimers | undefined;
  collector: StatusCollector;
  http: HttpServer;
  admin: Omit<HttpServer, 'adopt'>;
  metrics: ServerMetrics;
  ops: Operations;
  gateways: ClusterCarrier['gateways'] | undefined;
  bus: ClusterCarrier['bus'] | undefined;
  setup: DispatchSetup;
  hasher: PasswordHasher;
  store: StateStore;
  dataDir: string;
  /** The data dir's owner in its running marker (ops/recovery.ts), when it is shared. */
  dirOwner: string | undefined;
  lock: DataDirLock;
}

/** `mud upgrade`: the server stops serving and lets go of its sessions for a successor; the players stay in the world. */
export async function handOverServer(p: ServerParts): Promise<{ sessions: HandedSession[]; release(): Promise<void> }> {
  const { log } = p;
  log.info('handing over', { players: p.registry.size, sessions: p.live.size });
  p.stopRejoins?.();
  p.doors.telnet.hold();
  p.doors.http.hold();
  p.doors.admin.hold();
  await p.reaper?.close();
  for (const t of p.intervals) clearInterval(t);
  // Everyone stops typing first and every command under way, consequences included, ends
  // while every connection still writes: a line one player's last command sends another
  // reaches them before either is let go of.
  await holdSessionsStill(p.live);
  p.engine.close();
  if (!(await p.engine.quiesce())) log.warn('stopping with messages under way', { afterMs: 10_000 });
  const handed = await handOffSessions(p.live, log);
  p.collector.close();
  p.metrics.close();
  await p.ops.close();
  // A cluster gateway: its timers stay in the records (the successor, the same instance, restores them).
  p.clusterTimers?.close();
  p.clusterOutlet?.close();
  await p.bus?.close();
  let released: Promise<void> | undefined;
  const release = (): Promise<void> => (released ??= (async () => {
    await p.gateways?.handOver();
    await releaseLast(p);
    log.info('handed over', { sessions: handed.length });
  })());
  return { sessions: handed, release };
}

/** The server stops: every player leaves the world, then every part closes. */
export async function shutdownServer(p: ServerParts, reason: string): Promise<void> {
  const { log, registry, clusterOutlet } = p;
  log.info('stopping', { reason, players: registry.size });
  p.stopRejoins?.();
  await p.reaper?.close();
  for (const t of p.intervals) clearInterval(t);
  p.doors.telnet.close();
  p.telnetTls?.close();
  await Promise.all(registry.sessionsList().map((s) => s.shutdown('The server is shutting down. Your progress is saved. See you soon!')));
  await p.cluster?.settled();
  if (clusterOutlet) log.info('gateway bus', { delivered: registry.delivered, ...clusterOutlet.stats(), linesPerMessage: Math.round(clusterOutlet.stats().linesPerMessage * 100) / 100 });
  p.engine.close();
  if (!(await p.engine.quiesce())) log.warn('stopping with messages under way', { afterMs: 10_000 });
  p.clusterTimers?.close();
  p.collector.close();
  await p.http.close();
  await p.admin.close();
  p.metrics.close();
  await p.ops.close();
  p.gateways?.close();
  clusterOutlet?.close();
  await p.bus?.close();
  await releaseLast(p);
  log.info('stopped', { reason });
}

/** What either way of stopping lets go of last: the nodes, the hashing thread, the store, then the data dir. */
async function releaseLast(p: ServerParts): Promise<void> {
  await p.setup.close();
  await p.hasher.close();
  await p.store.close();
  await markStopped(p.dataDir, p.dirOwner);
  await p.lock.release();
}
