import type { Logger } from '../support/logger.js';
import { RateLimit } from './rate-limit.js';
import type { RefusalCounts, RefusalLimit } from './refusal-counts.js';

/** How many connections the server takes, and how fast. */
export interface ConnectionLimits {
  /** Open connections in total (telnet and WebSocket play). */
  maxConnections: number;
  /** Open connections from one address. */
  maxPerAddress: number;
  /** New connections from one address per second (a burst of 4x is allowed). */
  attemptsPerSecond: number;
  /** Loopback (this machine: bots, the party's guests, a local proxy) skips the per-address limits. */
  exemptLoopback: boolean;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 2000, maxPerAddress: 50, attemptsPerSecond: 10, exemptLoopback: true };

export const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

interface PerAddress { open: number; attempts: RateLimit; last: number }

/** Admits or refuses each new connection before anything is spent on it:
 *  the total cap, the per-address cap, and the per-address attempt rate.
 *  A refusal is one line to the peer and one (rate-limited) log line. */
export class ConnectionGate {
  private open = 0;
  private readonly addresses = new Map<string, PerAddress>();
  private lastLogged = 0;
  private refusedSinceLog = 0;

  constructor(private readonly limits: ConnectionLimits, private readonly log: Logger, private readonly refusals?: RefusalCounts) {}

  get connections(): number {
    return this.open;
  }

  /** Undefined when admitted (call `release` when it closes), else why not, for the peer. */
  admit(address: string): string | undefined {
    const now = Date.now();
    if (this.limits.exemptLoopback && LOOPBACK.test(address)) address = 'loopback';
    let a = this.addresses.get(address);
    if (!a) {
      if (this.addresses.size > 10_000) this.prune(now);
      a = { open: 0, attempts: new RateLimit(this.limits.attemptsPerSecond, this.limits.attemptsPerSecond * 4), last: now };
      this.addresses.set(address, a);
    }
    a.last = now;
    const exempt = address === 'loopback';
    const limit: RefusalLimit | undefined = !exempt && !a.attempts.take() ? 'connection-rate'
      : !exempt && a.open >= this.limits.maxPerAddress ? 'connections-per-address'
        : this.open >= this.limits.maxConnections ? 'connections'
          : undefined;
    if (limit) return this.refused(address, limit, now);
    a.open++;
    this.open++;
    return undefined;
  }

  release(address: string): void {
    if (this.limits.exemptLoopback && LOOPBACK.test(address)) address = 'loopback';
    const a = this.addresses.get(address);
    if (!a || a.open === 0) return;
    a.open--;
    this.open--;
  }

  /** One log line per second at most, with how many were refused since. */
  private refused(address: string, limit: RefusalLimit, now: number): string {
    const why = limit === 'connection-rate' ? 'Too many connection attempts from your address; slow down.'
      : limit === 'connections-per-address' ? `Too many connections from your address (at most ${this.limits.maxPerAddress}).`
        : 'The server is full; try again later.';
    this.refusals?.refused(limit);
    this.refusedSinceLog++;
    if (now - this.lastLogged >= 1000) {
      this.log.warn('connection refused', { from: address, why, refused: this.refusedSinceLog, open: this.open });
      this.lastLogged = now;
      this.refusedSinceLog = 0;
    }
    return why;
  }

  private prune(now: number): void {
    for (const [address, a] of this.addresses) if (a.open === 0 && now - a.last > 60_000) this.addresses.delete(address);
  }
}
