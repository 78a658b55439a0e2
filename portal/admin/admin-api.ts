import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Status } from '../../ops/status.js';
import { send } from '../http-server.js';
import type { CertificateFacts } from '../serving-certificate.js';
import type { ServerMetrics } from '../metrics.js';
import type { UpgradeOutcome } from '../handover.js';

/** What the admin API can ask of the server: the same operations the wizard's
 *  `@` commands and the monitor's keys use. Each throws a one-line Error on bad
 *  input, having changed nothing. */
export interface AdminOps {
  status(): Status;
  subscribe(listener: (s: Status) => void): () => void;
  dispatch(spec: string, by: string): Promise<{ modes: string; pausedMs: number; held: number }>;
  reload(): Promise<{ ok: true; pausedMs: number } | { ok: false; errors: string[] }>;
  /** Re-reads the TLS certificate and key; rejects if they do not load (the old pair stays). */
  reloadTls(): Promise<CertificateFacts>;
  nodes(action: string, node?: string): Promise<{ nodes: string[]; message: string }>;
  shards(capacity: number): Promise<{ shardCapacity: number }>;
  party(request: { guests?: number; room?: string; rate?: number; stop?: boolean; raid?: boolean }): Promise<{ message: string }>;
  /** A consistent snapshot of the running world: a header line and one line per key (bin/backup-file.ts). */
  backup(): Promise<{ header: string; lines: Iterable<string> }>;
  /** `mud upgrade`: a successor from the code on disk takes every connection over; throws when not offered. */
  upgrade(by: string): Promise<UpgradeOutcome>;
}

const MAX_BODY = 16 * 1024;

/** The admin API under /admin, every call (the status stream's upgrade too)
 *  with `Authorization: Bearer <token>`: never in the URL, which ends up in
 *  logs and shell histories. */
export class AdminApi {
  constructor(private readonly token: string, private readonly ops: AdminOps, private readonly metrics?: ServerMetrics) {}

  /** GET /metrics: Prometheus text format, with the same bearer token (Prometheus' `authorization.credentials_file`). */
  async scrape(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.authorized(req)) return json(res, 401, { error: 'missing or wrong admin token (see <data-dir>/admin.token, --admin-token or MUD_ADMIN_TOKEN)' });
    if (req.method !== 'GET' || !this.metrics) return json(res, 404, { error: `no admin route ${req.method} /metrics` });
    const { contentType, text } = await this.metrics.scrape();
    send(res, 200, contentType, text);
  }

  async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.authorized(req)) return json(res, 401, { error: 'missing or wrong admin token (see <data-dir>/admin.token, --admin-token or MUD_ADMIN_TOKEN)' });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = `${req.method} ${path}`;
    try {
      const body = req.method === 'POST' ? await readJson(req) : {};
      switch (route) {
        case 'GET /admin/status': return json(res, 200, this.ops.status());
        case 'GET /admin/backup': return await this.backup(res);
        case 'POST /admin/dispatch': return json(res, 200, await this.ops.dispatch(str(body.spec, 'spec'), 'admin-api'));
        case 'POST /admin/reload': {
          const r = await this.ops.reload();
          return json(res, r.ok ? 200 : 422, r);
        }
        case 'POST /admin/tls': return json(res, 200, await this.ops.reloadTls());
        case 'POST /admin/nodes': return json(res, 200, await this.ops.nodes(str(body.action, 'action'), body.node === undefined ? undefined : str(body.node, 'node')));
        case 'POST /admin/shards': return json(res, 200, await this.ops.shards(num(body.capacity, 'capacity')));
        case 'POST /admin/upgrade': {
          const r = await this.ops.upgrade('admin-api');
          if (!r.ok) return json(res, 409, { error: r.error });
          const { leave, ...answer } = r;
          // The old process exits once this answer is out (or the asker has gone).
          res.once('close', () => leave?.());
          return json(res, 200, answer);
        }
        case 'POST /admin/party': return json(res, 200, await this.ops.party(body as { guests?: number; room?: string; rate?: number; stop?: boolean; raid?: boolean }));
        default: return json(res, 404, { error: `no admin route ${route}` });
      }
    } catch (err) {
      return json(res, 400, { error: (err as Error).message });
    }
  }

  /** The snapshot as NDJSON, streamed with backpressure (a million keys never sit in one buffer). */
  private async backup(res: ServerResponse): Promise<void> {
    const { header, lines } = await this.ops.backup();
    res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
    res.write(header);
    for (const line of lines) {
      if (!res.write(line)) await new Promise((r) => res.once('drain', r));
      if (res.destroyed) return;
    }
    res.end();
  }

  /** /admin/stream: a status frame per sample, as JSON text. */
  upgrade(req: IncomingMessage, ws: WebSocket): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/admin/stream' || !this.authorized(req)) {
      ws.close(4401, 'missing or wrong admin token');
      return;
    }
    const sendFrame = (s: Status) => {
      if (ws.bufferedAmount < 1024 * 1024) ws.send(JSON.stringify(s));
    };
    sendFrame(this.ops.status());
    const stop = this.ops.subscribe(sendFrame);
    ws.on('close', stop);
    ws.on('error', stop);
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    const a = Buffer.from(given);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error(`request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function str(v: unknown, name: string): string {
  if (typeof v !== 'string' || !v) throw new Error(`"${name}" must be a non-empty string`);
  return v;
}

function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`"${name}" must be a whole number >= 0`);
  return v;
}
