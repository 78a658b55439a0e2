import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import type { Door } from './door.js';
import { fromBase64, type WebSocketHandoff } from './handover.js';
import { adoptWebSocket } from './websocket-adoption.js';
import { restartReading } from './socket-handoff.js';
import { addressOf } from './connection.js';
import type { SecureContext } from 'node:tls';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Logger } from '../support/logger.js';
import { PLAY_PROTOCOL, WebSocketConnection } from './websocket-connection.js';
import type { ConnectionGate } from './connection-gate.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-budget.js';
import { handshakeFailureLog, secureServerSocket } from './tls-socket.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  log: Logger;
  /** Folder of the browser client's static files. */
  webRoot?: string;
  onPlay(conn: WebSocketConnection): void;
  /** Admits or refuses each /play connection (caps per address and in total). */
  gate?: ConnectionGate;
  input?: InputLimits;
  /** A second port for the same site over TLS (https://, wss://.../play); the plain port stays plain. */
  tls?: { port: number; context(): SecureContext };
  /** The plain port as a door (portal/door.ts), instead of listening on `port`. */
  door?: Door;
}

export interface HttpServer {
  port: number;
  /** The TLS port, when asked for. */
  tlsPort?: number;
  server: Server;
  close(): Promise<void>;
  /** A /play WebSocket a predecessor process upgraded (`mud upgrade`), admitted as if it had just connected. */
  adopt(socket: Socket, state: WebSocketHandoff): WebSocketConnection;
}

const MAX_PAYLOAD = 64 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};

/** The HTTP port: the web client and WebSocket play at /play (the admin API has its own listener). */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  // The browser client asks for PLAY_PROTOCOL (colour, side-panel data); other clients get plain text.
  const wss = new WebSocketServer({
    // autoPong off: pings are charged to the sender's input budget (portal/websocket-connection.ts).
    noServer: true, maxPayload: MAX_PAYLOAD, autoPong: false, handleProtocols: (offered) => (offered.has(PLAY_PROTOCOL) ? PLAY_PROTOCOL : false),
  });
  const server = createServer((req, res) => void route(req, res, opts).catch((err) => fail(res, err, opts.log)));
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/play') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const address = req.socket.remoteAddress ?? '?';
    const refused = opts.gate?.admit(address);
    if (refused) {
      socket.pause();
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refused}\n`);
      return;
    }
    if (opts.gate) socket.once('close', () => opts.gate!.release(address));
    wss.handleUpgrade(req, socket, head, (ws) => {
      opts.onPlay(new WebSocketConnection(ws, `${address}:${req.socket.remotePort}`, opts.input ?? DEFAULT_INPUT_LIMITS));
    });
  });
  const plain = { ...(opts.door ? atDoor(server, wss, opts.door) : await listen(server, wss, opts.host, opts.port)), adopt: (socket: Socket, state: WebSocketHandoff) => {
    const address = addressOf(state.remote);
    opts.gate?.admit(address); // counted, never refused: the player was admitted already
    if (opts.gate) socket.once('close', () => opts.gate!.release(address));
    restartReading(socket); // one this process handed off and takes back
    const ws = adoptWebSocket(socket, fromBase64(state.head), state.subprotocol, MAX_PAYLOAD);
    wss.clients.add(ws);
    ws.once('close', () => wss.clients.delete(ws));
    const conn = new WebSocketConnection(ws, state.remote, opts.input ?? DEFAULT_INPUT_LIMITS, state.gmcp);
    socket.resume();
    return conn;
  } };
  if (!opts.tls) return plain;
  const secure = await listenSecure(server, opts.host, opts.tls, opts.log);
  return {
    ...plain, tlsPort: (secure.address() as AddressInfo).port,
    close: async () => {
      secure.close();
      await plain.close();
    },
  };
}

/** The TLS port: each connection's handshake is done here, then the same HTTP server
 *  (routes, /play upgrades and their gate) serves the decrypted socket. */
function listenSecure(server: Server, host: string, tls: { port: number; context(): SecureContext }, log: Logger): Promise<TcpServer> {
  const failed = handshakeFailureLog(log, 'https');
  const tcp = createTcpServer((socket) => {
    const address = socket.remoteAddress ?? '?';
    secureServerSocket(socket, tls.context(), (secure) => server.emit('connection', secure), (why) => failed(address, why));
  });
  return new Promise((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(tls.port, host, () => resolve(tcp));
  });
}

/** Serves at a door; `close` ends every WebSocket and connection, then stops listening. */
export function atDoor(server: Server, wss: WebSocketServer, door: Door): Omit<HttpServer, 'adopt'> {
  door.open((socket) => {
    server.emit('connection', socket);
    restartReading(socket); // one handed over by a predecessor
    socket.resume();
  });
  return {
    port: door.port,
    server,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      door.close();
    },
  };
}

/** Listens; `close` ends every WebSocket and connection, then the server. */
export async function listen(server: Server, wss: WebSocketServer, host: string, port: number): Promise<Omit<HttpServer, 'adopt'>> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () => new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, opts: HttpServerOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  if (!opts.webRoot) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  return serveStatic(res, opts.webRoot, path === '/' ? '/index.html' : path);
}

async function serveStatic(res: ServerResponse, root: string, path: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', 'bad path\n');
  }
  const base = normalize(root + sep);
  const file = normalize(join(root, decoded));
  if (!file.startsWith(base)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden\n');
  const body = await readFile(file).catch(() => undefined);
  if (!body) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body);
}

export function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function fail(res: ServerResponse, err: unknown, log: Logger): void {
  log.error('http error', { why: (err as Error).message });
  if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
  else res.end();
}
