// How gateways reach each other's players: room lines, lines for one player,
// shouts and channel lines, and the gateways' own requests (who, takeover).
// The only file that speaks NATS for it; `cluster/cluster-outlet.ts` and
// `portal/cluster-sessions.ts` see a `LineBus` and a `GatewayRequests`.
import type { Subscription } from '@nats-io/transport-node';
import type { Logger } from '../support/logger.js';
import { NatsLink } from '../nats/nats-connection.js';
import type { NatsAccess } from '../nats/nats-access.js';
import { answer, decode, encode, unwrap } from '../nats/nats-wire.js';
import { GATEWAY_SUBJECTS } from './gateway-membership.js';

/** What a line is addressed to: a room, one player, an area, a channel. */
export type LineKind = 'room' | 'player' | 'area' | 'chan';

/** Publish and listen by address. A gateway never hears its own publications
 *  (it delivered them itself already). Payloads are JSON; listeners get them
 *  parsed and must check their shape (another process sent them). */
export interface LineBus {
  publish(kind: LineKind, key: string, payload: unknown): void;
  /** Listens to one key, or to every key of the kind with '*'; returns the way to stop. */
  listen(kind: LineKind, key: string, handler: (payload: unknown) => void): () => void;
}

/** Requests to one gateway by id (`mud.gw.<id>.<what>`). */
export interface GatewayRequests {
  /** Answers `what` addressed to this gateway with what `work` resolves to (or its error). */
  serve(what: string, work: (body: unknown) => Promise<unknown> | unknown): void;
  /** Asks gateway `id`; rejects on its error, on no one answering, or after `timeoutMs`. */
  ask<T>(id: string, what: string, body: unknown, timeoutMs: number): Promise<T>;
}

export interface BusStats {
  /** NATS messages sent on line subjects. */
  published: number;
  /** NATS messages heard on line subjects. */
  received: number;
  /** Messages heard that were not JSON (dropped). */
  unreadable: number;
  /** Lines that could not be sent (the connection closing). */
  unsent: number;
}

/** `mud.room.<key>`, `mud.player.<name>`, `mud.area.<area>`, `mud.chan.<channel>`. */
export function lineSubject(kind: LineKind, key: string): string {
  return `mud.${kind}.${key === '*' ? '*' : subjectToken(key)}`;
}

/** A key as one subject token: what NATS gives meaning to ('.', '*', '>', spaces) is %-escaped. */
export function subjectToken(key: string): string {
  return key.replace(/[.*>%\s]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The bus over its own NATS connection, opened with `noEcho`: a gateway's
 *  publications reach every other gateway listening, never itself. */
export class GatewayBus implements LineBus, GatewayRequests {
  private readonly counts: BusStats = { published: 0, received: 0, unreadable: 0, unsent: 0 };
  private readonly served: Subscription[] = [];

  private constructor(private readonly link: NatsLink, readonly id: string) {}

  /** `access`: the gateway's own credentials and TLS (its main link's). */
  static async open(url: string, id: string, log: Logger, access?: NatsAccess): Promise<GatewayBus> {
    const link = await NatsLink.connect(url, { name: `mud-gateway-bus ${id}`, log, noEcho: true, access });
    return new GatewayBus(link, id);
  }

  publish(kind: LineKind, key: string, payload: unknown): void {
    try {
      // While the link is down nats.js buffers what is published and sends it on reconnect.
      this.link.connection.publish(lineSubject(kind, key), encode(payload));
      this.counts.published += 1;
    } catch {
      this.counts.unsent += 1; // closing: lines are feedback, never state
    }
  }

  listen(kind: LineKind, key: string, handler: (payload: unknown) => void): () => void {
    const sub = this.link.connection.subscribe(lineSubject(kind, key), {
      callback: (err, m) => {
        if (err) return;
        this.counts.received += 1;
        let payload: unknown;
        try {
          payload = decode(m.data);
        } catch {
          this.counts.unreadable += 1;
          return;
        }
        handler(payload);
      },
    });
    return () => sub.unsubscribe();
  }

  serve(what: string, work: (body: unknown) => Promise<unknown> | unknown): void {
    this.served.push(this.link.connection.subscribe(GATEWAY_SUBJECTS.own(this.id, what), {
      callback: (err, m) => {
        if (err) return;
        void answer(m, () => work(m.data.length ? decode(m.data) : undefined));
      },
    }));
  }

  async ask<T>(id: string, what: string, body: unknown, timeoutMs: number): Promise<T> {
    const reply = await this.link.connection.request(GATEWAY_SUBJECTS.own(id, what), encode(body), { timeout: timeoutMs });
    return unwrap<T>(reply, `gateway ${id}`);
  }

  /** Resolves once the server has everything sent so far (subscriptions included). */
  flush(): Promise<void> {
    return this.link.connection.flush();
  }

  stats(): BusStats {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    for (const s of this.served.splice(0)) s.unsubscribe();
    await this.link.close();
  }
}
