// What `startServer` (server.ts) takes and gives back: its options, the running server's handle,
// and the default limits a served game has.
import type { StateStore } from '../store/state-store.js';
import type { StoreKind } from '../store/registry.js';
import type { Lattice } from '../lattice/lattice.js';
import type { Logger } from '../support/logger.js';
import type { Engine } from '../dispatch/engine.js';
import type { ScriptTimerLimits } from '../dispatch/script-timer-budget.js';
import type { StatusCollector } from '../ops/status-collector.js';
import type { AutoPromoteOptions } from '../ops/auto-promoter.js';
import type { FunctionPick } from '../modes/function/function.js';
import type { SessionRegistry } from '../portal/session-registry.js';
import type { Session } from '../portal/session.js';
import type { ListingFacts } from '../portal/telnet/mssp.js';
import type { ConnectionGate, ConnectionLimits } from '../portal/connection-gate.js';
import type { InputLimits } from '../portal/input-budget.js';
import type { LoginThrottleLimits } from '../portal/login/login-throttle.js';
import type { SessionLimits } from '../portal/session-host.js';
import type { DataDirLock } from './data-dir-lock.js';
import type { World } from '../world/core/world.js';
import type { Operations } from './operations.js';
import type { ClusterCarrier } from '../cluster/gateways.js';
import type { LocationIndex } from '../dispatch/location-index.js';
import type { ClusterOutlet } from '../cluster/cluster-outlet.js';
import type { Doors } from '../portal/door.js';
import type { Adoption, HandedSession } from './server-handover.js';
import type { UpgradeOutcome } from '../portal/handover.js';
import type { ServingCertificate } from '../portal/serving-certificate.js';

export interface ServerOptions {
  host: string;
  telnetPort: number;
  httpPort: number;
  /** The admin API's own listener: loopback unless said otherwise, whatever `host` is. */
  adminHost?: string;
  /** Default 4002; 0 picks a free one. */
  adminPort?: number;
  world: string;
  dataDir: string;
  dispatch: string;
  /** Embedded nodes (worker threads); 0 = in-process only. Default 3. */
  nodes?: number;
  functionPick?: FunctionPick;
  /** Function mode replays commits that commute instead of running their turns again (default true; `--no-merge`). */
  merge?: boolean;
  shardCapacity?: number;
  autoPromote?: AutoPromoteOptions | false;
  wizard?: string;
  adminToken?: string;
  log?: Logger;
  /** What MUD listings read beyond the world (MSSP HOSTNAME, CONTACT, WEBSITE, CREATED). */
  listing?: ListingFacts;
  /** Guests online at once (`guest` logins: no account, no password hash); 0 = none. Default 2000. */
  guests?: number;
  /** scrypt cost N for new passwords (tests lower it; default 16384). */
  kdfCost?: number;
  limits?: Partial<SessionLimits>;
  connections?: Partial<ConnectionLimits>;
  input?: Partial<InputLimits>;
  loginThrottle?: Partial<LoginThrottleLimits>;
  /** The world's budget for builder scripts' timers (dispatch/script-timer-budget.ts); a test of the per-object bound alone widens it. */
  scriptTimers?: Partial<ScriptTimerLimits>;
  /** Another store (NATS KV) and lattice (NATS) instead of the embedded ones. */
  store?: StateStore;
  /** Without `store`: the backend this server opens in `dataDir` (`--store`; default file). */
  storeKind?: StoreKind;
  /** Without `store`: the values of its backend's own flags (bin/store-flags.ts). */
  storeFlags?: Readonly<Record<string, unknown>>;
  lattice?: Lattice;
  maxNodeHeapMb?: number;
  /** Embedded nodes cache records and revalidate them by revision (default true). */
  readCache?: boolean;
  /** The data dir's lock, when the caller took it already (`mud serve --nats`); released at close. */
  lock?: DataDirLock;
  /** A gateway of a cluster (`mud serve --nats`): the cluster's gateways, this one among them (told this
   *  one's ports), the bus to their players, the live switch's messages; closed at shutdown. */
  cluster?: ClusterCarrier;
  /** TLS for players: telnet over TLS on `telnetPort`, https:// and wss://.../play on `httpsPort` (0 picks one). */
  tls?: PlayerTls;
  /** The plain listeners, already open (a successor's, handed over; a stack restarted in the same process). */
  doors?: Doors;
  /** `world` loaded already (a successor loads it before its predecessor lets anyone go). */
  loadedWorld?: World;
  /** Sessions and held connections handed over by a predecessor (`mud upgrade`). */
  adopted?: Adoption;
  /** `mud upgrade` / `@upgrade`: what replaces this process (bin/upgrade.ts); absent = not offered. */
  upgrade?: (by: string) => Promise<UpgradeOutcome>;
}

export interface PlayerTls {
  certificate: ServingCertificate;
  telnetPort?: number;
  httpsPort?: number;
}

export interface RunningServer {
  telnetPort: number;
  httpPort: number;
  /** With TLS asked for (`--telnet-tls-port`, `--https-port`). */
  telnetTlsPort?: number;
  httpsPort?: number;
  adminHost: string;
  adminPort: number;
  adminToken: string;
  gate: ConnectionGate;
  engine: Engine;
  store: StateStore;
  registry: SessionRegistry<Session>;
  /** Who is in which room, of this gateway's players. */
  locations: LocationIndex;
  /** With several gateways: the outlet that reaches the others (its `stats()`: lines and NATS messages). */
  clusterOutlet?: ClusterOutlet;
  ops: Operations;
  collector: StatusCollector;
  log: Logger;
  doors: Doors;
  close(reason?: string): Promise<void>;
  /** `mud upgrade`: stops taking connections (the doors hold them), hands every session off,
   *  and stops the game; `release` then lets go of the rest (the store closed, the data dir
   *  unlocked, a cluster gateway's NATS link, its heartbeat last), as late as it can, so that
   *  the others in a cluster never miss its heartbeat. The doors and what they hold stay, for
   *  the successor, or for `startServer` again here. */
  handOver(): Promise<{ sessions: HandedSession[]; release(): Promise<void> }>;
}

/** Room for a party of 1,000 and a second crowd besides. */
export const DEFAULT_GUESTS = 2000;
export const DEFAULT_LIMITS: SessionLimits = { loginTimeoutMs: 30_000, idleTimeoutMs: 60 * 60_000, linkDeadMs: 3 * 60_000, commandsPerSecond: 20, commandBurst: 40 };
