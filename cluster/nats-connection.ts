import { connect, NoRespondersError, TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from './logger.js';

/** The link went down (`down: true`) or came back (`downMs` = how long it was out). */
export interface OutageEvent {
  down: boolean;
  server: string;
  downMs?: number;
}

export interface NatsLinkOptions {
  /** Shown by the server's monitoring (`mud-gateway`, `mud-node node-1`). */
  name: string;
  log: Logger;
  /** Never hear back what this connection publishes (the gateway bus: its own lines were delivered already). */
  noEcho?: boolean;
}

/** Errors a retry after the link is back may cure: the outage itself, or JetStream
 *  still recovering its streams right after a server restart. */
export type TransientTest = (err: unknown) => boolean;

const RECONNECT_LOG_EVERY_MS = 10_000;
const MAX_TRANSIENT_MS = 30_000;

/** One connection to NATS, kept for the life of the process: it reconnects without
 *  limit, logs every change of state, and lets callers wait out an outage instead
 *  of failing (`survive`). An outage is "the link is down": the game pauses on it. */
export class NatsLink {
  private up = true;
  private outages = 0;
  private downAt = 0;
  private upAt = Date.now();
  private downSignal!: Promise<void>;
  private signalDown!: () => void;
  private upWaiters: Array<() => void> = [];
  private readonly listeners = new Set<(e: OutageEvent) => void>();
  private closing = false;
  private lastReconnectLog = 0;

  private constructor(readonly connection: NatsConnection, readonly url: string, private readonly log: Logger) {
    this.armDownSignal();
    void this.watch();
  }

  /** Connects once (failing fast with a clear message if NATS is not there), then stays connected. */
  static async connect(url: string, opts: NatsLinkOptions): Promise<NatsLink> {
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: url, name: opts.name, maxReconnectAttempts: -1, reconnectTimeWait: 250, reconnectJitter: 100,
        pingInterval: 5_000, maxPingOut: 2, timeout: 5_000, noAsyncTraces: true,
        noEcho: opts.noEcho ?? false,
      });
    } catch (err) {
      throw new Error(`cannot reach NATS at ${url}: ${messageOf(err)} (is \`nats-server -js\` running there?)`);
    }
    opts.log.info('nats connected', { url, server: nc.getServer(), version: nc.info?.version, as: opts.name });
    return new NatsLink(nc, url, opts.log);
  }

  get isUp(): boolean {
    return this.up && !this.closing;
  }

  /** Milliseconds since the link last came up (large when it never went down). */
  sinceUpMs(): number {
    return this.up ? Date.now() - this.upAt : 0;
  }

  onOutage(listener: (e: OutageEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the link is up (at once if it is). */
  whenUp(): Promise<void> {
    if (this.up) return Promise.resolve();
    if (this.closing) return Promise.reject(new Error('the NATS connection is closed'));
    return new Promise((resolve) => this.upWaiters.push(resolve));
  }

  /** Runs `op` while the link is up. If the link goes down before `op` settles, or
   *  `op` fails because of it, waits for the link and runs `op` again: only for
   *  operations that are safe to repeat (turns carry ids; writes are CAS). */
  async survive<T>(op: () => Promise<T>, transient: TransientTest = () => false): Promise<T> {
    let firstTransient = 0;
    for (let attempt = 0; ; attempt++) {
      await this.whenUp();
      const epoch = this.outages;
      const running = op();
      const outcome = await Promise.race([
        running.then((value) => ({ value }), (error: unknown) => ({ error })),
        this.downSignal.then(() => 'down' as const),
      ]);
      if (outcome === 'down') {
        running.catch(() => undefined); // its reply, if any, is of no use now
        continue;
      }
      if ('value' in outcome) return outcome.value;
      if (this.closing) throw outcome.error;
      if (this.outages !== epoch || !this.up) continue;
      if (!transient(outcome.error)) throw outcome.error;
      firstTransient ||= Date.now();
      if (Date.now() - firstTransient > MAX_TRANSIENT_MS) throw outcome.error;
      await sleep(Math.min(1000, 25 * 2 ** Math.min(attempt, 6)));
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.signalDown();
    for (const w of this.upWaiters.splice(0)) w();
    await this.connection.drain().catch(() => this.connection.close());
  }

  private armDownSignal(): void {
    this.downSignal = new Promise((resolve) => (this.signalDown = resolve));
  }

  private async watch(): Promise<void> {
    for await (const s of this.connection.status()) {
      switch (s.type) {
        case 'disconnect': this.wentDown(s.server); break;
        case 'reconnect': this.cameBack(s.server); break;
        case 'reconnecting': this.reconnecting(); break;
        case 'error': this.log.warn('nats error', { why: messageOf(s.error) }); break;
        case 'staleConnection': this.log.warn('nats connection stale', { why: 'server stopped answering pings' }); break;
        case 'ldm': this.log.warn('nats server entering lame duck mode', { server: s.server }); break;
        case 'slowConsumer': this.log.warn('nats slow consumer', { subject: s.sub.getSubject(), pending: s.pending }); break;
        case 'close': if (!this.closing) this.log.error('nats connection closed', { url: this.url }); break;
        default: break;
      }
    }
  }

  private wentDown(server: string): void {
    if (!this.up) return;
    this.up = false;
    this.outages += 1;
    this.downAt = Date.now();
    this.lastReconnectLog = this.downAt;
    this.log.warn('nats disconnected', { server, url: this.url, action: 'pausing: requests wait for the link' });
    this.signalDown();
    for (const l of this.listeners) l({ down: true, server });
  }

  private cameBack(server: string): void {
    const downMs = Date.now() - this.downAt;
    this.up = true;
    this.upAt = Date.now();
    this.armDownSignal();
    this.log.info('nats reconnected', { server, downMs, action: 'resuming' });
    for (const w of this.upWaiters.splice(0)) w();
    for (const l of this.listeners) l({ down: false, server, downMs });
  }

  private reconnecting(): void {
    const now = Date.now();
    if (now - this.lastReconnectLog < RECONNECT_LOG_EVERY_MS) return;
    this.lastReconnectLog = now;
    this.log.warn('nats still down', { url: this.url, downMs: now - this.downAt, action: 'reconnecting' });
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The server said nobody listens on the subject (a node gone, JetStream not up yet). */
export function isNoResponders(err: unknown): boolean {
  return causes(err).some((e) => e instanceof NoRespondersError);
}

export function isTimeout(err: unknown): boolean {
  return causes(err).some((e) => e instanceof TimeoutError);
}

/** An error and the chain of its causes (nats.js wraps the telling one). */
function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
