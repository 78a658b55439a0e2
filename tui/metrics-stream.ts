import WebSocket from 'ws';
import type { Status } from '../ops/status.js';

/** Where the monitor's frames come from: the server's stream, or a test's list. */
export interface FrameSource {
  /** Calls `frame` per status frame and `state` when the link comes or goes; returns an unsubscribe. */
  subscribe(frame: (s: Status) => void, state: (connected: boolean, why?: string) => void): () => void;
}

/** The server's admin address (`http://127.0.0.1:4002`) and its admin token. */
export interface StreamTarget {
  url: string;
  token: string;
}

const MAX_BACKOFF_MS = 5000;

/** The admin API's /admin/stream WebSocket: one Status per sample, pushed by
 *  the server (the monitor never polls). Reconnects with backoff when the
 *  server restarts or the network drops. */
export class MetricsStream implements FrameSource {
  constructor(private readonly target: StreamTarget) {}

  get url(): string {
    return `${this.target.url.replace(/^http/, 'ws')}/admin/stream`;
  }

  subscribe(frame: (s: Status) => void, state: (connected: boolean, why?: string) => void): () => void {
    let ws: WebSocket | undefined;
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    let backoff = 250;
    const connect = () => {
      // The token goes in a header, never in the URL.
      ws = new WebSocket(this.url, { headers: { authorization: `Bearer ${this.target.token}` } });
      ws.on('open', () => {
        backoff = 250;
        state(true);
      });
      ws.on('message', (data) => {
        try {
          frame(JSON.parse(data.toString()) as Status);
        } catch {
          // A frame that is not JSON is skipped; the next one comes in half a second.
        }
      });
      ws.on('error', () => undefined);
      ws.on('close', (code, reason) => {
        if (closed) return;
        state(false, code === 4401 ? 'wrong admin token' : reason.toString() || `cannot reach ${this.target.url}`);
        timer = setTimeout(connect, backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      });
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(timer);
      ws?.terminate();
    };
  }
}
