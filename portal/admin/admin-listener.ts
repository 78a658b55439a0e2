import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../support/logger.js';
import type { AdminApi } from './admin-api.js';
import { atDoor, listen, send, type HttpServer } from '../http-server.js';
import type { Door } from '../door.js';

/** The admin API (and `GET /metrics`) on a listener of its own, so that opening the game to the
 *  world (`--host 0.0.0.0`) does not open the admin API with it: by default it
 *  listens on loopback only (`--admin-host`, `--admin-port`). */
export async function startAdminListener(opts: { host: string; port: number; api: AdminApi; log: Logger; door?: Door }): Promise<Omit<HttpServer, 'adopt'>> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/metrics' && !path.startsWith('/admin/')) return send(res, 404, 'text/plain; charset=utf-8', 'not found (the admin API is under /admin/, metrics at /metrics)\n');
    (path === '/metrics' ? opts.api.scrape(req, res) : opts.api.request(req, res)).catch((err: Error) => {
      opts.log.error('admin api error', { why: err.message });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => opts.api.upgrade(req, ws));
  });
  return opts.door ? atDoor(server, wss, opts.door) : listen(server, wss, opts.host, opts.port);
}
