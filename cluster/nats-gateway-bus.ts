// The gateway bus (cluster/gateway-bus.ts) over NATS: lines on `mud.<kind>.<key>`,
// a gateway's own requests and messages on `mud.gw.<id>.<what>`.
import type { Subscription } from '@nats-io/transport-node';
import type { Logger } from '../support/logger.js';
import { NatsLink } from '../nats/nats-connection.js';
import type { NatsAccess } from '../nats/nats-access.js';
import { answer, decode, encode, unwrap } from '../nats/nats-wire.js';
import { GATEWAY_SUBJECTS } from './gateway-membership.js';
import type { BusStats, GatewayBus, LineKind } from './gateway-bus.js';

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
export class NatsGatewayBus implements GatewayBus {
  private readonly counts: BusStats = { published: 0, received: 0, unreadable: 0, unsent: 0 };
  private readonly served: Subscription[] = [];

  private constructor(private readonly link: NatsLink, readonly id: string) {}

  /** `access`: the gateway's own credentials and TLS (its main link's). */
  static async open(url: string, id: string, log: Logger, access?: NatsAccess): Promise<NatsGatewayBus> {
    const link = await NatsLink.connect(url, { name: `mud-gateway-bus ${id}`, log, noEcho: true, access });
    return new NatsGatewayBus(link, id);
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

  tell(id: string, what: string, body: unknown): void {
    try {
      this.link.connection.publish(GATEWAY_SUBJECTS.own(id, what), encode(body));
    } catch {
      // closing: what is told is never the only copy
    }
  }

  hear(what: string, handler: (body: unknown) => void): () => void {
    const sub = this.link.connection.subscribe(GATEWAY_SUBJECTS.own(this.id, what), {
      callback: (err, m) => {
        if (err) return;
        let body: unknown;
        try {
          body = decode(m.data);
        } catch {
          return;
        }
        handler(body);
      },
    });
    return () => sub.unsubscribe();
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
