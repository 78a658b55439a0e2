import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../support/logger.js';
import { connectionAccess, describeAccess, type NatsAccess } from './nats-access.js';
import { messageOf, refusalHint } from './nats-errors.js';
import { SelfEcho } from './self-echo.js';
import { natsServers } from './nats-servers.js';

/** The link has been down for OUTAGE_NOTICE_MS (`down: true`), or came back after
 *  such an outage (`downMs` = how long it was out). A fail-over to another server of
 *  the cluster that takes less than OUTAGE_NOTICE_MS raises no event at all. */
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
  /** Credentials and TLS (none: a plain, open server). */
  access?: NatsAccess;
}

/** Errors a retry after the link is back may cure: the outage itself, or JetStream
 *  still recovering its streams right after a server restart. */
export type TransientTest = (err: unknown) => boolean;

const RECONNECT_LOG_EVERY_MS = 10_000;
const MAX_TRANSIENT_MS = 30_000;
/** How long the link must stay down before it counts as an outage players hear of:
 *  with several servers, losing one costs a reconnect to the next in milliseconds. */
export const OUTAGE_NOTICE_MS = 1_000;
/** Every link says here that it has just moved to another server (its id as the payload). */
export const MOVED_SUBJECT = 'mud.link.moved';
/** Fail-overs come in bursts (every process on the dead server moves): one re-send for the burst. */
const MOVED_SETTLE_MS = 50;

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
  /** Set while an outage is long enough to have been announced to listeners. */
  private noticed = false;
  private noticeTimer: NodeJS.Timeout | undefined;
  /** Who this link is on MOVED_SUBJECT (its own notices are not news). */
  private readonly id = randomBytes(6).toString('hex');
  private movedTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly selfEcho: SelfEcho;

  /** `url` is the `--nats` value as given (one server or a list): local nodes get the same. */
  private constructor(readonly connection: NatsConnection, readonly url: string, private readonly log: Logger, readonly access: NatsAccess, echoless: boolean) {
    this.armDownSignal();
    void this.watch();
    connection.subscribe(MOVED_SUBJECT, { callback: (err, msg) => { if (!err && msg.string() !== this.id) this.peerMoved(); } });
    this.selfEcho = new SelfEcho(connection, this.id, log, () => this.up, echoless);
  }

  /** Connects to one of `url`'s servers (failing fast with a clear message if none is
   *  there), then stays connected: when its server goes, it moves to another of the
   *  list or of those the cluster told it of, and keeps trying without limit. */
  static async connect(url: string, opts: NatsLinkOptions): Promise<NatsLink> {
    const servers = natsServers(url);
    const access = opts.access ?? {};
    const door = connectionAccess(access); // a missing file is named here, not as a connection failure
    let nc: NatsConnection;
    try {
      // waitOnFirstConnect stays off: a gateway pointed at no live server must say so, not hang.
      // Seeds down at start-up are dropped by nats.js; the cluster gossips them back once they return.
      nc = await connect({
        servers, name: opts.name, maxReconnectAttempts: -1, reconnectTimeWait: 250, reconnectJitter: 100,
        pingInterval: 5_000, maxPingOut: 2, timeout: 5_000, noAsyncTraces: true,
        noEcho: opts.noEcho ?? false, ...door,
      });
    } catch (err) {
      throw new Error(`cannot reach NATS at ${url}: ${messageOf(err)} (${refusalHint(err)})`);
    }
    opts.log.info('nats connected', {
      url, server: nc.getServer(), version: nc.info?.version, as: opts.name,
      cluster: nc.info?.cluster, known: (nc.info?.connect_urls?.length ?? 0) || undefined, ...describeAccess(access),
    });
    return new NatsLink(nc, url, opts.log, access, opts.noEcho ?? false);
  }

  /** The server this link is connected to right now (`127.0.0.1:4222`). */
  get server(): string {
    return this.connection.getServer();
  }

  get isUp(): boolean {
    return this.up && !this.closing;
  }

  /** Milliseconds since the link last came up (large when it never went down). */
  sinceUpMs(): number {
    return this.up ? Date.now() - this.upAt : 0;
  }

  /** Has this link heard itself within DEAF_AFTER_MS (nats/self-echo.ts)? Only then does silence from another process
   *  mean that process is silent. (A `noEcho` link cannot hear itself: always true.) */
  hearsItself(): boolean {
    return this.selfEcho.hearsItself();
  }

  /** Has the link heard itself at all yet? (Until then it is never counted deaf.) */
  get echoHeard(): boolean {
    return this.selfEcho.heard;
  }

  /** Called when the link hears itself again after being deaf (cut off, or down), with how long it was:
   *  others may have counted this process gone meanwhile. */
  onHearingAgain(listener: (deafMs: number) => void): () => void {
    return this.selfEcho.onHearingAgain(listener);
  }

  onOutage(listener: (e: OutageEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the link is up (at once if it is). */
  whenUp(): Promise<void> {
    // Closing first: a closed link stays "up" and its down signal stays fired, so survive() would spin.
    if (this.closing) return Promise.reject(new Error('the NATS connection is closed'));
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => this.upWaiters.push(resolve));
  }

  /** Runs `op` while the link is up. If the link goes down before `op` settles, or
   *  `op` fails because of it, waits for the link and runs `op` again: only for
   *  operations that are safe to repeat (turns carry ids; writes are CAS). `limitMs`: how
   *  long from the call it may wait and run `op` again at all (a node's store: shorter than
   *  the silence after which the gateways count the node gone, so that it never runs a turn
   *  they have given up on and delivered elsewhere); past it, the last failure is thrown. */
  async survive<T>(op: () => Promise<T>, transient: TransientTest = () => false, limitMs = Infinity): Promise<T> {
    const deadline = Date.now() + limitMs;
    let firstTransient = 0;
    let last: unknown;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 && Date.now() >= deadline) throw last;
      await this.whenUpBefore(deadline, () => last ?? new Error(`the NATS link was down for more than ${limitMs} ms`));
      const epoch = this.outages;
      this.inFlight++;
      const running = op().finally(() => this.inFlight--);
      let timer: NodeJS.Timeout | undefined;
      const late = limitMs === Infinity ? [] : [new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), Math.max(0, deadline - Date.now()))))];
      const outcome = await Promise.race([
        running.then((value) => ({ value }), (error: unknown) => ({ error })),
        this.downSignal.then(() => 'down' as const),
        ...late,
      ]);
      clearTimeout(timer);
      if (outcome === 'late') {
        running.catch(() => undefined); // an answer now comes too late to act on
        throw new Error(`the NATS server did not answer within ${limitMs} ms`, { cause: last });
      }
      if (outcome === 'down') {
        running.catch(() => undefined); // its reply, if any, is of no use now
        last = new Error('the NATS link went down before the server answered');
        continue;
      }
      if ('value' in outcome) return outcome.value;
      if (this.closing) throw outcome.error;
      last = outcome.error;
      if (this.outages !== epoch || !this.up) continue;
      if (!transient(outcome.error)) throw outcome.error;
      firstTransient ||= Date.now();
      if (Date.now() - firstTransient > MAX_TRANSIENT_MS) throw outcome.error;
      await sleep(Math.min(1000, 25 * 2 ** Math.min(attempt, 6)));
    }
  }

  /** whenUp, failing with `failure()` if the link is not up by `deadline`. */
  private async whenUpBefore(deadline: number, failure: () => unknown): Promise<void> {
    if (this.up || deadline === Infinity) return this.whenUp();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(failure()), Math.max(0, deadline - Date.now()))));
    try {
      await Promise.race([this.whenUp(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.selfEcho.stop();
    clearTimeout(this.noticeTimer);
    clearTimeout(this.movedTimer);
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
    // Requests wait at once; listeners (players) hear of it only if no other server takes over soon.
    this.noticeTimer = setTimeout(() => {
      this.noticed = true;
      for (const l of this.listeners) l({ down: true, server });
    }, OUTAGE_NOTICE_MS);
  }

  private cameBack(server: string): void {
    const downMs = Date.now() - this.downAt;
    this.up = true;
    this.upAt = Date.now();
    this.armDownSignal();
    clearTimeout(this.noticeTimer);
    const noticed = this.noticed;
    this.noticed = false;
    this.log.info(noticed ? 'nats reconnected' : 'nats failed over', { server, downMs, action: 'resuming' });
    this.selfEcho.cameBack();
    for (const w of this.upWaiters.splice(0)) w();
    if (noticed) for (const l of this.listeners) l({ down: false, server, downMs });
    this.connection.publish(MOVED_SUBJECT, this.id);
  }

  /** Another process moved to another server. A request (or its reply) that was crossing the
   *  server it left died with it, and core NATS would only say so by a timeout (a minute, for a
   *  turn). So every request in flight here is sent again, as after our own reconnect:
   *  `survive` runs only operations that are safe to repeat (turns carry ids, writes are CAS). */
  private peerMoved(): void {
    if (!this.up || this.closing || this.movedTimer) return;
    this.movedTimer = setTimeout(() => {
      this.movedTimer = undefined;
      if (!this.up || this.closing) return;
      if (this.inFlight > 0) this.log.info('nats peer moved', { inFlight: this.inFlight, action: 'sending requests in flight again' });
      this.signalDown();
      this.armDownSignal();
    }, MOVED_SETTLE_MS);
  }

  private reconnecting(): void {
    const now = Date.now();
    if (now - this.lastReconnectLog < RECONNECT_LOG_EVERY_MS) return;
    this.lastReconnectLog = now;
    this.log.warn('nats still down', { url: this.url, downMs: now - this.downAt, action: 'reconnecting' });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
