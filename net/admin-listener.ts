import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Logger } from '../cluster/logger.js';
import type { AdminApi } from './admin-api.js';
import { send } from './http-server.js';

export interface AdminListener {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** The admin API on a listener of its own, so that opening the game to the
 *  world (`--host 0.0.0.0`) does not open the admin API with it: by default it
 *  listens on loopback only (`--admin-host`, `--admin-port`). */
export async function startAdminListener(opts: { host: string; port: number; api: AdminApi; log: Logger }): Promise<AdminListener> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!path.startsWith('/admin/')) return send(res, 404, 'text/plain; charset=utf-8', 'not found (the admin API is under /admin/)\n');
    opts.api.request(req, res).catch((err: Error) => {
      opts.log.error('admin api error', { why: err.message });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => opts.api.upgrade(req, ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
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
