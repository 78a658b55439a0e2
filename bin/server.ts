import { mkdir, writeFile, readFile } from 'node:fs/promises';
import { createServer as createTcpServer, type Server as TcpServer, type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { FileStore } from '../cluster/file-store.js';
import type { StateStore } from '../cluster/state-store.js';
import { Logger } from '../cluster/logger.js';
import { Engine } from '../dispatch/engine.js';
import { InProcessDispatcher } from '../dispatch/in-process.js';
import { parseModeSpec, formatModeTable, type ModeTable } from '../dispatch/mode-table.js';
import { TurnMeter } from '../dispatch/turn-meter.js';
import type { Dispatcher, Mode } from '../dispatch/dispatcher.js';
import { Accounts } from '../net/accounts.js';
import { SessionRegistry } from '../net/session-registry.js';
import { Session } from '../net/session.js';
import { TelnetConnection } from '../net/telnet-connection.js';
import { startHttpServer, type HttpServer } from '../net/http-server.js';
import type { SessionHost, SessionLimits } from '../net/session-host.js';
import { checkDataDir, DEFAULT_WORLD, WEB_ROOT } from './paths.js';
import { loadLiveWorld } from './live-world.js';
import { sweepOccupants } from './sweep.js';
import { Operations } from './operations.js';

export interface ServerOptions {
  host: string;
  telnetPort: number;
  httpPort: number;
  world: string;
  dataDir: string;
  dispatch: string;
  wizard?: string;
  adminToken?: string;
  log?: Logger;
  /** scrypt cost N for new passwords (tests lower it; default 16384). */
  kdfCost?: number;
  limits?: Partial<SessionLimits>;
}

export interface RunningServer {
  telnetPort: number;
  httpPort: number;
  adminToken: string;
  engine: Engine;
  store: StateStore;
  registry: SessionRegistry<Session>;
  log: Logger;
  close(reason?: string): Promise<void>;
}

const DEFAULT_LIMITS: SessionLimits = { loginTimeoutMs: 120_000, commandsPerSecond: 20, commandBurst: 40 };

/** Builds the whole server from its parts and starts listening. Everything is
 *  passed in from here (no module-global state), so tests run several at once. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? new Logger();
  const problem = checkDataDir(opts.dataDir);
  if (problem) throw new Error(problem);
  const table = parseModeSpec(opts.dispatch);
  await mkdir(opts.dataDir, { recursive: true });
  const world = await loadLiveWorld(resolve(opts.world ?? DEFAULT_WORLD));
  const store = await FileStore.open(opts.dataDir);
  log.info('store opened', { kind: store.name, dir: opts.dataDir, ...store.recoveryInfo });
  const swept = await sweepOccupants(store);
  if (swept) log.info('rooms swept', { rooms: swept, why: 'occupants left from the last run' });

  const meter = new TurnMeter();
  const dispatchers: Partial<Record<Mode, Dispatcher>> = { 'in-process': new InProcessDispatcher(store, world, meter) };
  checkModesAvailable(table, dispatchers);
  const registry = new SessionRegistry<Session>();
  const engine = new Engine({ dispatchers, table, world, outlet: registry, log });
  const accounts = new Accounts(store, { wizard: opts.wizard, kdfCost: opts.kdfCost });
  const adminToken = await adminTokenFor(opts);

  let closing: Promise<void> | undefined;
  const close = (reason = 'shutdown'): Promise<void> => (closing ??= shutdown(reason));
  const ops = new Operations({ engine, log, worldPath: resolve(opts.world), shutdown: () => void close('wizard') });
  const host: SessionHost = { engine, accounts, registry, log, admin: ops, limits: { ...DEFAULT_LIMITS, ...opts.limits } };

  const telnet = await listenTelnet(opts.host, opts.telnetPort, (conn) => new Session(conn, host));
  const telnetPort = (telnet.address() as AddressInfo).port;
  log.info('listening', { protocol: 'telnet', address: `${opts.host}:${telnetPort}` });
  const http = await startHttpServer({ host: opts.host, port: opts.httpPort, webRoot: WEB_ROOT, onPlay: (conn) => new Session(conn, host), log });
  log.info('listening', { protocol: 'http', address: `${opts.host}:${http.port}`, play: `ws://${opts.host}:${http.port}/play` });
  log.info('ready', { world: world.definition.name, dispatch: formatModeTable(table), rooms: Object.keys(world.definition.rooms).length });

  async function shutdown(reason: string): Promise<void> {
    log.info('stopping', { reason, players: registry.size });
    telnet.close();
    for (const s of registry.sessionsList()) {
      s.tell('The server is shutting down. Your progress is saved. See you soon!');
      s.conn.close();
    }
    await engine.quiesce();
    await http.close();
    for (const d of Object.values(dispatchers)) await d!.close();
    await store.close();
    log.info('stopped', { reason });
  }

  return { telnetPort, httpPort: http.port, adminToken, engine, store, registry, log, close };
}

function checkModesAvailable(table: ModeTable, dispatchers: Partial<Record<Mode, Dispatcher>>): void {
  for (const mode of [table.default, ...Object.values(table.kinds), ...Object.values(table.objects)]) {
    if (!dispatchers[mode]) throw new Error(`dispatch mode ${mode} needs nodes: start with --nodes N (N >= 1)`);
  }
}

function listenTelnet(host: string, port: number, onConnection: (c: TelnetConnection) => void): Promise<TcpServer> {
  return new Promise((resolvePromise, reject) => {
    const server = createTcpServer((socket) => onConnection(new TelnetConnection(socket)));
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}

/** The admin token: given, from MUD_ADMIN_TOKEN, or generated into <data-dir>/admin.token. */
async function adminTokenFor(opts: ServerOptions): Promise<string> {
  const given = opts.adminToken ?? process.env.MUD_ADMIN_TOKEN;
  const file = join(opts.dataDir, 'admin.token');
  const token = given || (await readFile(file, 'utf8').then((t) => t.trim()).catch(() => '')) || randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export type { HttpServer };
