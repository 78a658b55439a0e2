import type { Subscription } from '@nats-io/transport-node';
import type { Logger } from '../../support/logger.js';
import type { MembershipEvent } from '../lattice.js';
import { type NatsLink } from '../../nats/nats-connection.js';
import { messageOf } from '../../nats/nats-errors.js';
import { decode, HEARTBEAT_EVERY_MS, HEARTBEAT_TIMEOUT_MS, NODE_ID_PATTERN, SUBJECTS, type Hello } from '../../nats/nats-wire.js';

interface Member extends Hello {
  lastSeen: number;
}

export interface MembershipOptions {
  link: NatsLink;
  log: Logger;
  /** Welcomes a node heard of for the first time; it is a member once this resolves. */
  join(hello: Hello): Promise<void>;
  emit(e: MembershipEvent): void;
}

/** Who is in the cluster, from heartbeats: a node heard of for the first time is
 *  welcomed (`join`) and then 'joined'; one unheard of for HEARTBEAT_TIMEOUT_MS
 *  has 'left' ('timed out'); a goodbye on `mud.bye` is 'stopped'. While NATS is
 *  down, or the link hears not even itself (cut off), nobody can be heard, so no
 *  one times out until it hears again. */
export class NatsMembership {
  private readonly members = new Map<string, Member>();
  private readonly joining = new Set<string>();
  /** Processes taken out on purpose (stopped, killed): their last heartbeats must not join them again. */
  private readonly departed = new Set<string>();
  private readonly subs: Subscription[] = [];
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly opts: MembershipOptions) {}

  start(): void {
    const nc = this.opts.link.connection;
    this.subs.push(nc.subscribe(SUBJECTS.heartbeat, { callback: (err, msg) => { if (!err) this.heard(decode<Hello>(msg.data)); } }));
    this.subs.push(nc.subscribe(SUBJECTS.bye, { callback: (err, msg) => { if (!err) this.bye(decode<Hello>(msg.data)); } }));
    this.opts.link.onOutage((e) => {
      // Heartbeats sent during the outage were lost: count everyone as just heard.
      if (!e.down) for (const m of this.members.values()) m.lastSeen = Date.now();
    });
    // Cut off without the socket knowing (it hears not even itself): what went unheard meanwhile proves nothing.
    this.opts.link.onHearingAgain(() => {
      for (const m of this.members.values()) m.lastSeen = Date.now();
    });
    this.sweeper = setInterval(() => this.sweep(), HEARTBEAT_EVERY_MS / 2);
    this.sweeper.unref();
    // The nodes already running beat at once: a gateway (re)started beside them has them within
    // milliseconds, not at their next heartbeat.
    nc.publish(SUBJECTS.rollCall);
  }

  nodes(): string[] {
    return [...this.members.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  }

  has(id: string): boolean {
    return this.members.has(id);
  }

  /** Takes a node out. A node taken out for good (stopped, killed) stays out; one
   *  that merely went quiet (unreachable, timed out) joins again on its next heartbeat. */
  leave(id: string, reason: string, forGood = false): boolean {
    const m = this.members.get(id);
    if (!m) return false;
    if (forGood) this.departed.add(m.instance);
    this.members.delete(id);
    this.opts.emit({ type: 'left', node: id, reason });
    return true;
  }

  /** Resolves when `id` has joined; rejects after `timeoutMs`, or once `gone()` says it never will. */
  async waitFor(id: string, timeoutMs: number, gone: () => boolean = () => false): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; !this.members.has(id); await new Promise((r) => setTimeout(r, 25))) {
      if (gone()) throw new Error(`node ${id} exited before it joined (its log says why)`);
      if (Date.now() > deadline) throw new Error(`node ${id} did not join within ${timeoutMs} ms`);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const s of this.subs) s.unsubscribe();
  }

  private heard(hello: Hello): void {
    if (!hello || typeof hello.id !== 'string' || !NODE_ID_PATTERN.test(hello.id) || typeof hello.instance !== 'string') return;
    if (this.departed.has(hello.instance)) return;
    const known = this.members.get(hello.id);
    if (known && known.instance === hello.instance) {
      known.lastSeen = Date.now();
      return;
    }
    // A new process under a known id: the old one is gone (restarted in place).
    if (known) this.leave(hello.id, 'restarted');
    if (this.joining.has(hello.instance)) return;
    this.joining.add(hello.instance);
    this.opts.join(hello).then(
      () => {
        this.members.set(hello.id, { ...hello, lastSeen: Date.now() });
        this.opts.emit({ type: 'joined', node: hello.id });
      },
      (err: unknown) => this.opts.log.warn('node join failed', { node: hello.id, host: hello.host, pid: hello.pid, why: messageOf(err) }),
    ).finally(() => this.joining.delete(hello.instance));
  }

  private bye(hello: Hello): void {
    if (this.members.get(hello?.id)?.instance === hello.instance) this.leave(hello.id, 'stopped', true);
  }

  private sweep(): void {
    if (!this.opts.link.isUp || !this.opts.link.hearsItself()) return;
    const cutoff = Date.now() - HEARTBEAT_TIMEOUT_MS;
    for (const m of [...this.members.values()]) {
      if (m.lastSeen < cutoff) this.leave(m.id, 'timed out');
    }
  }
}
