import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../support/logger.js';

/** A link says something to itself this often (on an inbox subject of its own, `_INBOX.echo.<id>`,
 *  which every account's permissions allow), to know it still hears. */
const ECHO_EVERY_MS = 500;
/** Unheard by itself for this long, a link is deaf: its socket may have died without a word (a cable
 *  cut), which the client's own pings find out only after 10-15 s. Silence from others proves nothing then. */
export const DEAF_AFTER_MS = 1_500;
/** Deaf this long (past the 3 s heartbeat timeout: the others count this process gone already), the
 *  link drops its socket and reconnects: the outage is then announced, and a healed network is used at once. */
const DEAF_RECONNECT_MS = 4_000;

/** A link's echo to itself (nats/nats-connection.ts): whether it still hears, and a forced reconnect
 *  when it has been deaf too long. `up` is whether the link is connected; `echoless` (a `noEcho` link,
 *  which cannot hear itself): no echo, and the link always counts as hearing. */
export class SelfEcho {
  private heardSelfAt = Date.now();
  /** Deafness counts only once the echo has been heard at all (a server that refused it must not make the link drop, again and again). */
  private heardEver = false;
  private deafFrom = 0;
  /** When the link last came back from an outage: a fresh connection gets its own time to hear itself. */
  private cameBackAt = 0;
  private readonly subject: string;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(deafMs: number) => void>();

  constructor(private readonly connection: NatsConnection, id: string, private readonly log: Logger, private readonly up: () => boolean, echoless: boolean) {
    this.subject = `_INBOX.echo.${id}`;
    if (echoless) return;
    connection.subscribe(this.subject, { callback: (err) => { if (!err) this.heardSelf(); } });
    this.timer = setInterval(() => this.echo(), ECHO_EVERY_MS);
    this.timer.unref();
  }

  /** Has the link heard itself within DEAF_AFTER_MS? */
  hearsItself(): boolean {
    return this.timer === undefined || !this.heardEver || (this.up() && Date.now() - this.heardSelfAt < DEAF_AFTER_MS);
  }

  get heard(): boolean {
    return this.heardEver;
  }

  onHearingAgain(listener: (deafMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The link is connected again (the client's reconnect, or one forced here): the silence before it says nothing
   *  of the new connection, which says something to itself at once. */
  cameBack(): void {
    this.cameBackAt = Date.now();
    if (this.timer !== undefined) this.connection.publish(this.subject);
  }

  private echo(): void {
    const silentMs = Date.now() - this.heardSelfAt;
    if (silentMs >= DEAF_AFTER_MS && !this.deafFrom && this.heardEver) {
      this.deafFrom = this.heardSelfAt;
      this.log.warn('nats link deaf', { server: this.connection.getServer(), silentMs, action: 'counting no one gone until it hears itself' });
    }
    if (!this.up()) return;
    // Dropped only once the connection in hand has had its own time to hear itself: the silence counted from before a
    // reconnect would drop a fresh connection at the first tick (seen 0.3 s after a partition healed).
    if (silentMs >= DEAF_RECONNECT_MS && this.deafFrom && Date.now() - this.cameBackAt >= DEAF_RECONNECT_MS - DEAF_AFTER_MS) {
      this.heardSelfAt = Date.now() - DEAF_AFTER_MS; // one forced reconnect per DEAF_RECONNECT_MS of deafness
      this.log.warn('nats link dropped', { server: this.connection.getServer(), silentMs, action: 'reconnecting' });
      this.connection.reconnect().catch(() => undefined);
      return;
    }
    this.connection.publish(this.subject);
  }

  private heardSelf(): void {
    const now = Date.now();
    // Deaf since it last heard itself, whether or not a tick of echo() said so yet (hearsItself() did).
    const since = this.deafFrom || (this.heardEver && now - this.heardSelfAt >= DEAF_AFTER_MS ? this.heardSelfAt : 0);
    this.heardSelfAt = now;
    this.heardEver = true;
    if (!since) return;
    const deafMs = now - since;
    this.deafFrom = 0;
    this.log.info('nats link hears again', { deafMs });
    for (const l of this.listeners) l(deafMs);
  }
}
