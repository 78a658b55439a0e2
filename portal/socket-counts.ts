import type { Connection } from './connection.js';

/** Open player connections by protocol, logged in or not: `mud_sockets{protocol}` (portal/metrics.ts). */
export class SocketCounts {
  private readonly open: Record<Connection['protocol'], number> = { telnet: 0, websocket: 0 };

  /** Counts a connection until it closes. */
  track(conn: Connection): void {
    this.open[conn.protocol] += 1;
    conn.onClose(() => (this.open[conn.protocol] -= 1));
  }

  get(protocol: Connection['protocol']): number {
    return this.open[protocol];
  }
}
