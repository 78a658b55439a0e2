import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_STORE, storeSpec } from '../store/registry.js';
import { Logger } from '../support/logger.js';
import { Engine } from '../dispatch/engine.js';
import { LocalOutlet } from '../dispatch/local-outlet.js';
import { areaOf } from '../world/core/area.js';
import { formatModeTable, modesIn, type ModeTable } from '../dispatch/mode-table.js';
import { parseModeSpec } from '../modes/parse-modes.js';
import { TurnMeter } from '../dispatch/turn-meter.js';
import { DEFAULT_SCRIPT_TIMER_BUDGET } from '../dispatch/script-timer-budget.js';
import { StatusCollector } from '../ops/status-collector.js';
import { AutoPromoter } from '../ops/auto-promoter.js';
import { Accounts } from '../portal/login/accounts.js';
import { Guests } from '../portal/login/guest-login.js';
import { SessionRegistry } from '../portal/session-registry.js';
import { Session } from '../portal/session.js';
import { TelnetConnection, type TelnetServices } from '../portal/telnet/telnet-connection.js';
import { worldCounts } from '../portal/telnet/mssp.js';
import { PlayerSettingsStore } from '../portal/player/player-settings.js';
import { PlayerAliasStore } from '../portal/player/player-aliases.js';
import { startHttpServer } from '../portal/http-server.js';
import { DataDemand } from '../portal/data-demand.js';
import { AdminApi } from '../portal/admin/admin-api.js';
import { startAdminListener } from '../portal/admin/admin-listener.js';
import { ConnectionGate, DEFAULT_CONNECTION_LIMITS } from '../portal/connection-gate.js';
import { DEFAULT_INPUT_LIMITS } from '../portal/input-budget.js';
import { LoginThrottle, DEFAULT_LOGIN_THROTTLE } from '../portal/login/login-throttle.js';
import type { SessionHost } from '../portal/session-host.js';
import { checkDataDir, WEB_ROOT } from '../support/paths.js';
import { DataDirLock } from './data-dir-lock.js';
import { reservedNames } from '../world/core/reserved-names.js';
import { PasswordHasher } from '../portal/password-hasher.js';
import { DEFAULT_HASH_LIMITS, HashGate } from '../portal/hash-gate.js';
import { loadBuiltWorld, readDraft } from './built-world.js';
import { sweepOccupants } from '../ops/sweep.js';
import { restoreTimers } from '../dispatch/timer-restore.js';
import { ClusterTimers } from '../cluster/cluster-timers.js';
import { markRunning, recoverStrandedItems } from '../ops/recovery.js';
import { Operations, type Knobs } from './operations.js';
import { sharedTlsReload } from './shared-tls-reload.js';
import { setUpDispatch } from './dispatchers.js';
import type { Dispatcher, ModeName } from '../dispatch/dispatcher.js';
import { ChildPartyRunner } from './party-runner.js';
import { ClusterOutlet } from '../cluster/cluster-outlet.js';
import { ClusterSessions } from '../portal/cluster-sessions.js';
import { rejoinSessions } from '../portal/session-rejoin.js';
import { HEARTBEAT_TIMEOUT_MS } from '../nats/nats-wire.js';
import { GhostReaper } from './ghost-reaper.js';
import { clusterModes } from './cluster-mode-table.js';
import { listenTelnet, telnetAdmission } from '../portal/telnet/telnet-listener.js';
import type { PlayerHandoff } from '../portal/handover.js';
import type { WebSocketConnection } from '../portal/websocket-connection.js';
import { addressOf } from '../portal/connection.js';
import { adoptedPlayers, openDoors, type Adoption } from './server-handover.js';
import { handOverServer, shutdownServer, type ServerParts } from './server-stop.js';
import { adminTokenFor } from './admin-token.js';
import { handshakeFailureLog } from '../portal/tls-socket.js';
import { ServerMetrics } from '../portal/metrics.js';
import { takeRestoreMark } from './restore.js';
import { RefusalCounts } from '../portal/refusal-counts.js';
import { SocketCounts } from '../portal/socket-counts.js';
import { defaultGatewayId } from '../cluster/gateway-membership.js';

import { DEFAULT_GUESTS, DEFAULT_LIMITS, type RunningServer, type ServerOptions } from './server-options.js';

/** Builds the whole server from its parts and starts listening. Everything is
 *  passed in from here (no module-global state), so tests run several at once. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? new Logger();
  const problem = checkDataDir(opts.dataDir);
  if (problem) throw new Error(problem);
  const table = parseModeSpec(opts.dispatch);
  // Before anything in the data dir is read, recovered or renamed.
  const lock = opts.lock ?? (await DataDirLock.acquire(opts.dataDir));
  try {
    return await startLocked(opts, table, lock, log);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function startLocked(opts: ServerOptions, asked: ModeTable, lock: DataDirLock, log: Logger): Promise<RunningServer> {
  if (lock.tookOverFrom !== undefined) log.warn('data dir lock taken over', { dir: opts.dataDir, from: lock.tookOverFrom || 'unknown', why: 'its owner is no longer running' });
  let table = asked;
  // A store passed in was opened (and logged) by whoever passed it: bin/nats-setup.ts, a test.
  const store = opts.store ?? (await storeSpec(opts.storeKind ?? DEFAULT_STORE).open({ dataDir: opts.dataDir, flags: opts.storeFlags, log }));
  // The world files plus what wizards built and have not saved yet (bin/built-world.ts).
  // A successor's world, loaded before its predecessor paused anyone, serves unless wizards' edits wait in the store.
  const preloaded = opts.loadedWorld && (await readDraft(store)).revision === 0 ? { world: opts.loadedWorld, revision: 0 } : undefined;
  const { world, revision: built } = preloaded ?? await loadBuiltWorld(resolve(opts.world), store).catch(async (err: unknown) => {
    if (!opts.store) await store.close();
    throw err;
  });
  const gateways = opts.cluster?.gateways;
  const dirty = await markRunning(opts.dataDir, sharedDirOwner(opts));
  // One gateway alone: occupants left in rooms are ghosts of the last run. Several: the reaper takes out exactly the dead gateways' players (below).
  const swept = gateways ? 0 : await sweepOccupants(store, adoptedPlayers(opts.adopted));
  if (swept) log.info('rooms swept', { rooms: swept, why: 'occupants left from the last run' });

  const knobs: Knobs = { shardCapacity: opts.shardCapacity ?? 0, autoPromote: !!opts.autoPromote };
  const modes = await clusterModes(opts, store, table, knobs, log);
  table = modes.table;
  const meter = new TurnMeter();
  let engine: Engine | undefined;
  // Turns build out-of-band data only while some client, here or on another gateway, takes it.
  const demand = new DataDemand();
  gateways?.shareDataDemand(demand);
  const clientData = gateways ? () => demand.wanted || gateways.othersTakeData() : () => demand.wanted;
  const setup = await setUpDispatch({
    store, world, meter, log, nodes: opts.nodes ?? 3, table, functionPick: opts.functionPick ?? 'least-loaded', merge: opts.merge,
    definition: () => (engine?.currentWorld ?? world).definition, shardCapacity: () => knobs.shardCapacity, clientData,
    lattice: opts.lattice, maxNodeHeapMb: opts.maxNodeHeapMb, readCache: opts.readCache,
  });
  checkModesAvailable(table, setup.dispatchers);
  const registry = new SessionRegistry<Session>();
  const areaOfRoom = (room: string) => areaOf(room, engine!.currentWorld);
  const bus = opts.cluster?.bus;
  const clusterOutlet = bus ? new ClusterOutlet(registry, areaOfRoom, bus, () => bus.stats()) : undefined;
  const local = clusterOutlet?.local ?? new LocalOutlet(registry, areaOfRoom);
  if (clusterOutlet) registry.watch({ attached: (p) => clusterOutlet.follow(p), detached: (p) => clusterOutlet.unfollow(p) });
  engine = new Engine({ dispatchers: setup.dispatchers, table, world, outlet: clusterOutlet ?? local, log, epoch: modes.epoch, switching: modes.switching, prepare: setup.prepare,
    scriptTimers: { ...DEFAULT_SCRIPT_TIMER_BUDGET, ...opts.scriptTimers },
  });
  // Nodes beyond this process were handed the world files alone (bin/nats-setup.ts): give them what was built too.
  if (opts.lattice && built > 0) await engine.applyWorld(world);
  const reaper = gateways ? new GhostReaper({ store, engine, gateways, world: () => engine!.currentWorld.definition, log }) : undefined;
  const reaped = await reaper?.reapStale();
  const restored = await takeRestoreMark(store);
  if (restored) log.info('restored world', { cut: restored.cut, action: 'delivering the item transfers the snapshot caught midway' });
  if ((dirty && !reaped) || restored) await recoverStrandedItems(store, world.definition, engine, log);
  reaper?.start();
  const cluster = gateways && bus && clusterOutlet ? new ClusterSessions({
    store, requests: bus, gateways, registry, locations: local.locations, adopt: (p, room) => clusterOutlet.adopt(p, room), log,
  }) : undefined;
  // Cut off from NATS and heard again: its players play on here (portal/session-rejoin.ts), each re-entering between two commands.
  const stopRejoins = cluster && gateways ? rejoinSessions(gateways, cluster, (p) => registry.get(p)?.reenter() ?? Promise.resolve(), log, HEARTBEAT_TIMEOUT_MS) : undefined;
  // Several gateways: each fires the timers of the objects it owns (cluster/cluster-timers.ts).
  const clusterTimers = gateways && bus ? new ClusterTimers({ mail: bus, gateways, store, queue: engine.timers, log }) : undefined;
  if (clusterTimers) {
    engine.routeTimers((ref, id, due) => clusterTimers.place(ref, id, due));
    clusterTimers.start();
  }
  const timers = clusterTimers ? await clusterTimers.restore() : await restoreTimers(store, engine.timers);
  if (timers) log.info('timers restored', { pending: timers });
  // Hashes on a thread of their own, admitted per account and address before they are done (issue 25).
  const hasher = new PasswordHasher();
  await hasher.ready;
  const hashing = new HashGate(hasher, { ...DEFAULT_HASH_LIMITS, exemptLoopback: opts.connections?.exemptLoopback ?? DEFAULT_CONNECTION_LIMITS.exemptLoopback });
  const accounts = new Accounts(store, { hashing, wizard: opts.wizard, kdfCost: opts.kdfCost, reserved: () => reservedNames(engine!.currentWorld.definition) });
  const adminToken = await adminTokenFor(opts);
  const collector = new StatusCollector({
    engine, locations: local.locations, store, meter, log, pool: setup.pool, players: () => registry.size,
    shardCapacity: () => knobs.shardCapacity, autoPromote: () => knobs.autoPromote, gatewayObjects: () => setup.inProcess.stats().activations,
    linesDelivered: () => registry.delivered, gateways, bus: clusterOutlet && (() => clusterOutlet.stats()), epoch: () => engine!.epoch,
  });
  const promoter = opts.autoPromote && setup.dispatchers.actor ? new AutoPromoter(engine, setup.dispatchers.actor, log, opts.autoPromote) : undefined;
  if (promoter) collector.subscribe((s) => void promoter.observe(s));

  let closing: Promise<void> | undefined;
  const close = (reason = 'shutdown'): Promise<void> => (closing ??= shutdownServer(parts, reason));
  // The guests dial this server's own telnet port, known once it listens (below).
  const party = new ChildPartyRunner({ telnetPort: () => telnetPort, host: opts.host, log, world: resolve(opts.world) });
  const clusterSwitch = modes.cluster?.();
  const ops = new Operations({
    engine, log, worldPath: resolve(opts.world), store, collector, knobs, lattice: setup.lattice, party, shutdown: () => void close('wizard'), upgrade: opts.upgrade,
    clusterShards: clusterSwitch && ((n) => clusterSwitch.setShards(n)), tls: opts.tls?.certificate, roomOf: (p) => local.locations.roomOf(p),
    tlsEverywhere: opts.cluster?.sameListeners ? (here) => sharedTlsReload(opts.cluster!.bus, opts.cluster!.gateways, here) : undefined,
  });
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const refusals = new RefusalCounts();
  const sockets = new SocketCounts();
  const loginThrottle = new LoginThrottle(log, { ...DEFAULT_LOGIN_THROTTLE, ...opts.loginThrottle });
  loginThrottle.refusals = refusals;
  const guests = new Guests(opts.guests ?? DEFAULT_GUESTS);
  const host: SessionHost = {
    engine, accounts, guests, settings: new PlayerSettingsStore(store), aliases: new PlayerAliasStore(store),
    registry, locations: local.locations, cluster, log, admin: ops, limits, loginThrottle, refusals,
  };
  const startedAt = Math.floor(Date.now() / 1000);
  const telnetServices: TelnetServices = {
    facts: {
      name: world.definition.name, players: () => registry.size, startedAt, codebase: 'lattice-mud 0.1.0', get port() { return telnetPort; },
      listing: opts.listing, world: () => worldCounts(engine.currentWorld.definition),
    },
    problem: (remote, message) => log.warn('telnet protocol', { from: remote, why: message }),
  };
  const passivation = setInterval(() => setup.inProcess.passivateIdle(30_000), 5_000);
  passivation.unref();
  const idleSweep = setInterval(() => {
    for (const s of registry.sessionsList()) s.dropIfIdle(limits.idleTimeoutMs);
  }, Math.min(30_000, limits.idleTimeoutMs));
  idleSweep.unref();

  const gate = new ConnectionGate({ ...DEFAULT_CONNECTION_LIMITS, ...opts.connections }, log, refusals);
  const input = { ...DEFAULT_INPUT_LIMITS, ...opts.input };
  // Every session, logged in or not: what a hand-over lets go of.
  const live = new Set<Session>();
  const play = (conn: TelnetConnection | WebSocketConnection, resumed?: PlayerHandoff): Session => {
    conn.countIn(demand);
    sockets.track(conn);
    const session = new Session(conn, host, resumed);
    live.add(session);
    conn.onClose(() => live.delete(session));
    return session;
  };
  const onTelnet = (socket: Socket) => play(new TelnetConnection(socket, telnetServices, input));
  const doors = await openDoors(opts.doors, opts.host, { telnet: opts.telnetPort, http: opts.httpPort, admin: opts.adminPort ?? 4002, adminHost: opts.adminHost ?? '127.0.0.1' });
  doors.telnet.open(telnetAdmission(gate, onTelnet));
  const telnetPort = doors.telnet.port;
  log.info('listening', { protocol: 'telnet', address: `${opts.host}:${telnetPort}` });
  const tls = opts.tls;
  if (tls) log.info('tls certificate', { ...tls.certificate.facts, cert: tls.certificate.certFile });
  const telnetTls = tls?.telnetPort === undefined ? undefined
    : await listenTelnet(opts.host, tls.telnetPort, gate, onTelnet, { context: () => tls.certificate.context(), failed: handshakeFailureLog(log, 'telnet') });
  const telnetTlsPort = telnetTls && (telnetTls.address() as AddressInfo).port;
  if (telnetTls) log.info('listening', { protocol: 'telnet+tls', address: `${opts.host}:${telnetTlsPort}` });
  const http = await startHttpServer({ host: opts.host, port: opts.httpPort, door: doors.http, webRoot: WEB_ROOT, onPlay: (conn) => play(conn), log, gate, input, tls: tls?.httpsPort === undefined ? undefined : { port: tls.httpsPort, context: () => tls.certificate.context() } });
  log.info('listening', { protocol: 'http', address: `${opts.host}:${http.port}`, play: `ws://${opts.host}:${http.port}/play` });
  if (http.tlsPort !== undefined) log.info('listening', { protocol: 'https', address: `${opts.host}:${http.tlsPort}`, play: `wss://${opts.host}:${http.tlsPort}/play` });
  const adminHost = opts.adminHost ?? '127.0.0.1';
  const metrics = new ServerMetrics({
    gateway: gateways?.id ?? defaultGatewayId(telnetPort), engine, collector, meter, store, pool: setup.pool, sockets, refusals,
    players: () => registry.size, linesDelivered: () => registry.delivered,
  });
  const admin = await startAdminListener({ host: adminHost, port: opts.adminPort ?? 4002, door: doors.admin, api: new AdminApi(adminToken, ops, metrics), log });
  const parts: ServerParts = {
    log, registry, live, stopRejoins, reaper, intervals: [passivation, idleSweep], doors, telnetTls, cluster, clusterOutlet, engine, clusterTimers,
    collector, http, admin, metrics, ops, gateways, bus, setup, hasher, store, dataDir: opts.dataDir, dirOwner: sharedDirOwner(opts), lock,
  };
  if (opts.adopted) adopt(opts.adopted);
  log.info('listening', { protocol: 'admin', address: `${adminHost}:${admin.port}`, api: `http://${adminHost}:${admin.port}/admin` });
  gateways?.setPorts({ telnet: telnetPort, http: http.port, admin: admin.port });
  log.info('ready', {
    world: world.definition.name, dispatch: formatModeTable(table), epoch: engine.epoch, nodes: setup.lattice?.nodes().length ?? 0, nodesOnFirstUse: setup.lattice?.notStarted || undefined,
    lattice: setup.lattice?.kind ?? 'none', store: store.name, gateway: gateways?.id, shardCapacity: knobs.shardCapacity || undefined,
  });

  /** Takes up what a predecessor handed over: its sessions, and the connections its doors held. */
  function adopt(adoption: Adoption): void {
    for (const { socket, state } of adoption.sessions) {
      let session: Session;
      if (state.conn.protocol === 'telnet') {
        const address = addressOf(state.conn.remote);
        gate.admit(address); // counted, never refused: the player was admitted already
        socket.once('close', () => gate.release(address));
        session = play(new TelnetConnection(socket, telnetServices, input, state.conn), state.play);
      } else {
        session = play(http.adopt(socket, state.conn), state.play);
      }
      // Whoever asked for the upgrade hears how it went, once back in play.
      if (adoption.notice && state.play && state.play.player === adoption.by) void session.inPlay().then(() => session.tell(adoption.notice!));
    }
    for (const { door, socket } of adoption.fresh) doors[door].admit(socket);
    log.info('sessions adopted', { sessions: adoption.sessions.length, players: adoption.sessions.filter((s) => s.state.play).length, held: adoption.fresh.length });
  }

  return { telnetPort, httpPort: http.port, telnetTlsPort, httpsPort: http.tlsPort, adminHost, adminPort: admin.port, adminToken, gate, engine, store, registry, locations: local.locations, clusterOutlet, ops, collector, log, doors, close, handOver: () => handOverServer(parts) };
}

/** A gateway of a cluster whose state is shared shares its data dir with other gateways on the machine under its own id. */
function sharedDirOwner(opts: ServerOptions): string | undefined {
  return opts.cluster?.shared ? opts.cluster.gateways.id : undefined;
}

function checkModesAvailable(table: ModeTable, dispatchers: Partial<Record<ModeName, Dispatcher>>): void {
  for (const mode of modesIn(table)) {
    if (!dispatchers[mode]) throw new Error(`dispatch mode ${mode} needs nodes: start with --nodes N (N >= 1)`);
  }
}
