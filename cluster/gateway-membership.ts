import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Subscription } from '@nats-io/transport-node';
import type { Logger } from '../support/logger.js';
import { type NatsLink } from '../nats/nats-connection.js';
import { isNoResponders } from '../nats/nats-errors.js';
import { GatewayOwners } from './gateway-owners.js';
import { answer, decode, encode, HEARTBEAT_EVERY_MS, HEARTBEAT_TIMEOUT_MS, NODE_ID_PATTERN } from '../nats/nats-wire.js';
import { isStoreKind, SHARED_STORES, storeSpec } from '../store/registry.js';
import type { GatewayEvent, GatewayHello, Gateways } from './gateways.js';

/** How long a roll call waits for one more answer after the last. */
const ROLL_CALL_STALL_MS = 300;

export const GATEWAY_SUBJECTS = {
  heartbeat: 'mud.gw.heartbeat',
  bye: 'mud.gw.bye',
  /** "Who is here?": every live gateway answers with its heartbeat (a gateway starting asks it once). */
  rollCall: 'mud.gw.rollcall',
  /** A gateway's own requests: `mud.gw.<id>.<what>`. */
  own: (id: string, what: string) => `mud.gw.${id}.${what}`,
} as const;

export interface GatewayMembershipOptions {
  link: NatsLink;
  log: Logger;
  id: string;
  /** Filled in once the listeners are up (ports 0 pick free ones). */
  ports: GatewayHello['ports'];
  store: GatewayHello['store'];
  /** This gateway's figures, read at every heartbeat. */
  stats?: () => unknown;
  /** A successor started by `mud upgrade` goes on as its predecessor's instance: the other
   *  gateways see no gateway leave, so nobody reaps its players or takes its timers. */
  instance?: string;
}

/** Which gateways are in the cluster, from heartbeats on `mud.gw.heartbeat`
 *  (the same rule as nodes: unheard of for HEARTBEAT_TIMEOUT_MS = gone; a
 *  goodbye on `mud.gw.bye` = stopped; nobody times out while NATS is down or
 *  the link hears not even itself).
 *  Gateways have no leader: work that one gateway must do for the cluster (fire a
 *  timer, reap a dead gateway's players) goes to the live gateway that
 *  rendezvous hashing picks for it, so every gateway computes the same owner
 *  with nothing to agree on; when one dies, only what it owned moves. */
export class GatewayMembership implements Gateways {
  readonly instance: string;
  private readonly members = new Map<string, GatewayHello & { lastSeen: number }>();
  private readonly owners: GatewayOwners;
  private readonly listeners = new Set<(e: GatewayEvent) => void>();
  private readonly rejoinListeners = new Set<(deafMs: number) => void>();
  /** Gateways timed out, by id: the instance and when. Heard again as the same instance, it was cut
   *  off, not dead, and this side may have been counted gone by it just the same. */
  private readonly timedOut = new Map<string, { instance: string; at: number }>();
  private readonly subs: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private dataDemand: { readonly wanted: boolean } | undefined;
  private closed = false;

  constructor(private readonly opts: GatewayMembershipOptions) {
    if (!NODE_ID_PATTERN.test(opts.id)) throw new Error(`gateway id "${opts.id}" must be 1-64 letters, digits, _ or -`);
    this.instance = opts.instance ?? randomBytes(6).toString('hex');
    this.owners = new GatewayOwners([opts.id]);
  }

  get id(): string {
    return this.opts.id;
  }

  /** Refuses an id another live gateway holds, hears the gateways already running (a roll call), then
   *  joins: heard by all at once. */
  async start(): Promise<void> {
    const nc = this.opts.link.connection;
    // Two gateways with one id would both answer its subjects. A timeout also means taken: something holds it.
    const taken = await nc.request(GATEWAY_SUBJECTS.own(this.opts.id, 'ping'), encode({}), { timeout: 1_000 }).then(() => true, (err: unknown) => !isNoResponders(err));
    if (taken) throw new Error(`gateway id ${this.opts.id} is already in use in this cluster: pick another with --gateway-id`);
    await this.rollCall();
    this.subs.push(nc.subscribe(GATEWAY_SUBJECTS.own(this.opts.id, 'ping'), { callback: (e, m) => { if (!e) void answer(m, () => this.hello()); } }));
    this.subs.push(nc.subscribe(GATEWAY_SUBJECTS.rollCall, { callback: (e, m) => { if (!e && !this.closed) m.respond(encode(this.hello())); } }));
    this.subs.push(nc.subscribe(GATEWAY_SUBJECTS.heartbeat, { callback: (e, m) => { if (!e) this.heard(m.data); } }));
    this.subs.push(nc.subscribe(GATEWAY_SUBJECTS.bye, { callback: (e, m) => { if (!e) this.bye(m.data); } }));
    this.opts.link.onOutage((e) => {
      if (!e.down) for (const m of this.members.values()) m.lastSeen = Date.now();
    });
    // Cut off (the link heard not even itself): the others heard nothing of this gateway either and may
    // have counted it gone. Say at once that it is here, and let the sessions check what they missed.
    this.opts.link.onHearingAgain((deafMs) => {
      for (const m of this.members.values()) m.lastSeen = Date.now();
      this.beat();
      this.opts.log.info('gateway rejoined', { gateway: this.opts.id, deafMs, action: 'checking its sessions' });
      for (const l of this.rejoinListeners) l(deafMs);
    });
    await nc.flush();
    this.beat();
    this.timer = setInterval(() => {
      this.beat();
      this.sweep();
    }, HEARTBEAT_EVERY_MS);
    this.timer.unref();
  }

  /** Refuses to share a cluster that cannot be shared (the gateways already running were heard in
   *  `start`'s roll call): a gateway whose store is not shared (`--store file`: its own data dir) must be
   *  the only one. */
  settle(): void {
    const others = this.others();
    if (!others.length) return;
    const names = others.map((g) => `${g.id} (${g.host}, pid ${g.pid})`).join(', ');
    const shared = SHARED_STORES.map((k) => `--store ${k}`).join(' or ');
    if (!storeSpec(this.opts.store).caps.shared) {
      throw new Error(`another gateway runs on this NATS (${names}): --store ${this.opts.store} keeps the state in one gateway's data dir, so it cannot be shared; start every gateway with ${shared}`);
    }
    const alone = others.find((g) => isStoreKind(g.store) && !storeSpec(g.store).caps.shared);
    if (alone) throw new Error(`gateway ${alone.id} on this NATS keeps the state in its own data dir (--store ${alone.store}): stop it, or run every gateway with ${shared}`);
  }

  setPorts(ports: GatewayHello['ports']): void {
    this.opts.ports = ports;
  }

  /** Where the heartbeat takes this gateway's figures from (the status collector, once it runs). */
  setStats(stats: () => unknown): void {
    this.opts.stats = stats;
  }

  /** Says in every heartbeat whether a client here takes out-of-band data, and says
   *  it at once when the first one comes (the others start building it for them). */
  shareDataDemand(demand: { readonly wanted: boolean; onChange(watcher: (wanted: boolean) => void): void }): void {
    this.dataDemand = demand;
    demand.onChange((wanted) => {
      if (wanted && this.timer) this.beat();
    });
  }

  /** True when another live gateway has a client that takes out-of-band data. */
  othersTakeData(): boolean {
    for (const m of this.members.values()) if (m.id !== this.opts.id && m.clientData !== false) return true;
    return false;
  }

  /** Live gateways' ids, this one included, sorted. */
  ids(): string[] {
    return this.owners.ids();
  }

  /** The other live gateways, with what they last said. */
  others(): GatewayHello[] {
    return [...this.members.values()].filter((m) => m.id !== this.opts.id).map(({ lastSeen: _, ...h }) => h);
  }

  /** This gateway's own heartbeat, as others see it. */
  hello(): GatewayHello {
    return { id: this.opts.id, instance: this.instance, pid: process.pid, host: hostname(), ports: this.opts.ports, store: this.opts.store, stats: this.opts.stats?.(), clientData: this.dataDemand?.wanted ?? true };
  }

  /** The live gateway that owns `key` (rendezvous hashing over live ids). */
  owner(key: string): string {
    return this.owners.owner(key);
  }

  /** The NATS connection the gateways talk over. */
  get link(): NatsLink {
    return this.opts.link;
  }

  isLive(id: string): boolean {
    return id === this.opts.id || this.members.has(id);
  }

  /** Called when this gateway hears again after being cut off (or after an outage): the others may have
   *  counted it gone and taken its players out of the world meanwhile. */
  onRejoin(listener: (deafMs: number) => void): () => void {
    this.rejoinListeners.add(listener);
    return () => this.rejoinListeners.delete(listener);
  }

  onChange(listener: (e: GatewayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Says goodbye (others stop counting on this gateway at once) and stops listening. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (this.opts.link.isUp) this.opts.link.connection.publish(GATEWAY_SUBJECTS.bye, encode({ id: this.opts.id, instance: this.instance }));
    for (const s of this.subs) s.unsubscribe();
  }

  /** `mud upgrade`: stops beating and answering with no goodbye, for a successor that goes on as this
   *  instance under the same id. It must beat within HEARTBEAT_TIMEOUT_MS of the last beat here, or the
   *  others count this gateway gone (and then back, as a restart would). */
  async handOver(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.beat(true);
    for (const s of this.subs) s.unsubscribe();
    // The id's ping must have no responder here by the time the successor asks (start()).
    if (this.opts.link.isUp) await this.opts.link.connection.flush().catch(() => undefined);
  }

  /** Asks the gateways already running to say at once that they are here, instead of waiting out a
   *  heartbeat interval for their beats (which made every gateway's start 1.2 s longer). Answers come
   *  together, since each gateway answers the one message; the call ends ROLL_CALL_STALL_MS after the
   *  last (at once when none is running: no responders). A gateway slower than that, or one of a version
   *  that does not answer, is heard at its next heartbeat, as before. */
  private async rollCall(): Promise<void> {
    try {
      const answers = await this.opts.link.connection.requestMany(GATEWAY_SUBJECTS.rollCall, encode({ from: this.opts.id }), {
        strategy: 'stall', stall: ROLL_CALL_STALL_MS, maxWait: HEARTBEAT_EVERY_MS + 200,
      });
      for await (const m of answers) this.heard(m.data);
    } catch (err) {
      if (!isNoResponders(err)) throw err;
    }
  }

  private beat(last = false): void {
    if (this.opts.link.isUp && (last || !this.closed)) this.opts.link.connection.publish(GATEWAY_SUBJECTS.heartbeat, encode(this.hello()));
  }

  private heard(data: Uint8Array): void {
    let h: GatewayHello;
    try {
      h = decode<GatewayHello>(data);
    } catch {
      return;
    }
    if (!h || typeof h.id !== 'string' || !NODE_ID_PATTERN.test(h.id) || typeof h.instance !== 'string' || h.id === this.opts.id) return;
    const known = this.members.get(h.id);
    if (known && known.instance !== h.instance) this.remove(h.id, 'restarted');
    const fresh = !this.members.has(h.id);
    this.members.set(h.id, { ...h, lastSeen: Date.now() });
    const cut = this.timedOut.get(h.id);
    this.timedOut.delete(h.id);
    if (fresh) {
      this.reindex();
      this.opts.log.info('gateway joined', { gateway: h.id, host: h.host, pid: h.pid, gateways: this.members.size + 1 });
      this.emit({ type: 'joined', gateway: h.id });
      if (cut?.instance === h.instance) {
        // A partition between the two, not a death: each may have reaped the other's players (the side
        // on a minority NATS server never went deaf). Check this gateway's sessions as after a cut.
        const silentMs = Date.now() - cut.at;
        this.opts.log.info('gateway back after a partition', { gateway: h.id, silentMs, action: 'checking its sessions' });
        for (const l of this.rejoinListeners) l(silentMs);
      }
    }
  }

  private bye(data: Uint8Array): void {
    try {
      const h = decode<{ id: string; instance: string }>(data);
      if (this.members.get(h?.id)?.instance === h.instance) this.remove(h.id, 'stopped');
    } catch {
      // not ours to read
    }
  }

  private sweep(): void {
    // Silence proves nothing while this gateway hears not even itself (cut off from NATS): it would count
    // live gateways gone, and reap their players, from the wrong side of the cut.
    if (!this.opts.link.isUp || !this.opts.link.hearsItself()) return;
    const cutoff = Date.now() - HEARTBEAT_TIMEOUT_MS;
    for (const m of [...this.members.values()]) if (m.lastSeen < cutoff) this.remove(m.id, 'timed out');
  }

  private remove(id: string, reason: string): void {
    const instance = this.members.get(id)?.instance;
    if (!this.members.delete(id)) return;
    if (reason === 'timed out' && instance) this.timedOut.set(id, { instance, at: Date.now() });
    this.reindex();
    this.opts.log.warn('gateway left', { gateway: id, reason, gateways: this.members.size + 1 });
    this.emit({ type: 'left', gateway: id, reason });
  }

  private reindex(): void {
    this.owners.setIds([this.opts.id, ...this.members.keys()]);
  }

  private emit(e: GatewayEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** A default gateway id: the host and telnet port (stable across restarts), or the pid when the port is picked at random. */
export function defaultGatewayId(telnetPort: number): string {
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40) || 'gw';
  return `gw-${host}-${telnetPort || process.pid}`;
}
