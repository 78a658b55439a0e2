import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../support/logger.js';
import { HEARTBEAT_EVERY_MS } from '../nats/nats-wire.js';
import type { StoreKind } from '../store/registry.js';
import { GatewayOwners } from './gateway-owners.js';
import type { GatewayEvent, GatewayHello, Gateways } from './gateways.js';
import type { JoinReply } from './forked-wire.js';
import type { PrimaryLink } from './primary-link.js';

/** The gateways of `mud serve --gateways N` as one of them sees them, from its primary's word: a
 *  join answers with the live ones, the primary tells each join and exit as it happens (an exit is
 *  the proof of a death: no heartbeat timeout), and relays every gateway's hello (its ports,
 *  figures, out-of-band demand) once a second. A local channel is never cut, so no gateway hears
 *  again after a cut: `onRejoin` never fires. */
export class ForkedGateways implements Gateways {
  readonly instance = randomBytes(6).toString('hex');
  private readonly members = new Map<string, GatewayHello>();
  private readonly owners: GatewayOwners;
  private readonly listeners = new Set<(e: GatewayEvent) => void>();
  private ports: GatewayHello['ports'] = { telnet: 0, http: 0, admin: 0 };
  private stats: (() => unknown) | undefined;
  private dataDemand: { readonly wanted: boolean } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly unheard: Array<() => void> = [];

  constructor(private readonly link: PrimaryLink, readonly id: string, private readonly store: StoreKind, private readonly log: Logger) {
    this.owners = new GatewayOwners([id]);
  }

  /** Joins: the primary tells the others, and answers with them and the live nodes. */
  async join(): Promise<JoinReply> {
    this.unheard.push(
      this.link.on('joined', ({ hello }) => this.joined(hello)),
      this.link.on('hello', ({ hello }) => {
        if (this.members.has(hello.id)) this.members.set(hello.id, hello);
      }),
      this.link.on('left', ({ id, reason }) => this.left(id, reason)),
    );
    const reply = await this.link.request<JoinReply>({ t: 'join', hello: this.hello() });
    for (const h of reply.gateways) this.members.set(h.id, h);
    this.reindex();
    this.timer = setInterval(() => this.beat(), HEARTBEAT_EVERY_MS);
    this.timer.unref();
    return reply;
  }

  ids(): string[] {
    return this.owners.ids();
  }

  others(): GatewayHello[] {
    return [...this.members.values()];
  }

  hello(): GatewayHello {
    return { id: this.id, instance: this.instance, pid: process.pid, host: hostname(), ports: this.ports, store: this.store, stats: this.stats?.(), clientData: this.dataDemand?.wanted ?? true };
  }

  owner(key: string): string {
    return this.owners.owner(key);
  }

  isLive(id: string): boolean {
    return id === this.id || this.members.has(id);
  }

  onChange(listener: (e: GatewayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onRejoin(): () => void {
    return () => undefined;
  }

  setPorts(ports: GatewayHello['ports']): void {
    this.ports = ports;
    this.beat();
  }

  setStats(stats: () => unknown): void {
    this.stats = stats;
  }

  shareDataDemand(demand: { readonly wanted: boolean; onChange(watcher: (wanted: boolean) => void): void }): void {
    this.dataDemand = demand;
    demand.onChange((wanted) => {
      if (wanted) this.beat();
    });
  }

  othersTakeData(): boolean {
    for (const m of this.members.values()) if (m.clientData !== false) return true;
    return false;
  }

  /** Says goodbye: the primary tells the others at once that this gateway stopped. */
  close(): void {
    if (!this.stop()) return;
    this.link.notify({ t: 'bye' });
  }

  /** Gateways forked by a primary are not upgraded in place (`mud upgrade` refuses them). */
  async handOver(): Promise<void> {
    this.stop();
  }

  private stop(): boolean {
    if (!this.timer) return false;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const u of this.unheard.splice(0)) u();
    return true;
  }

  private beat(): void {
    if (this.timer) this.link.notify({ t: 'hello', hello: this.hello() });
  }

  private joined(hello: GatewayHello): void {
    if (hello.id === this.id) return;
    const known = this.members.get(hello.id);
    if (known && known.instance !== hello.instance) this.left(hello.id, 'restarted');
    this.members.set(hello.id, hello);
    if (known?.instance === hello.instance) return;
    this.reindex();
    this.log.info('gateway joined', { gateway: hello.id, pid: hello.pid, gateways: this.members.size + 1 });
    this.emit({ type: 'joined', gateway: hello.id });
  }

  private left(id: string, reason: string): void {
    if (!this.members.delete(id)) return;
    this.reindex();
    this.log.warn('gateway left', { gateway: id, reason, gateways: this.members.size + 1 });
    this.emit({ type: 'left', gateway: id, reason });
  }

  private reindex(): void {
    this.owners.setIds([this.id, ...this.members.keys()]);
  }

  private emit(e: GatewayEvent): void {
    for (const l of this.listeners) l(e);
  }
}
