import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Msg as NatsMsg, Subscription } from '@nats-io/transport-node';
import type { NodeReply, NodeRequest, NodeService, NodeServiceFactory } from '../lattice.js';
import type { Logger } from '../../support/logger.js';
import type { StateStore } from '../../store/state-store.js';
import { type NatsLink } from '../../nats/nats-connection.js';
import { isNoResponders } from '../../nats/nats-errors.js';
import { isStoreKind, storeSpec, type StoreKind } from '../../store/registry.js';
import { answer, decode, encode, HEARTBEAT_EVERY_MS, SUBJECTS, type Control, type Hello } from '../../nats/nats-wire.js';

export interface NatsNodeOptions {
  link: NatsLink;
  id: string;
  log: Logger;
  /** The store this node was told to use (`mud node --store`); the gateway's choice when absent. */
  store?: StoreKind;
  /** Makes what answers this node's turns once it has joined (bin/ passes the modes' NodeRuntime). */
  service: NodeServiceFactory;
}

const DRAIN_MS = 10_000;
/** The lattice's own request types; a mode's own (`mode`) are checked against what its mode declares (NodeService.acceptsRemote). */
const REQUEST_TYPES = new Set<string>(['turn', 'mode', 'release', 'world', 'stats'] satisfies Array<NodeRequest['t']>);

/** A node as a process of its own, joined to the gateway by NATS: it heartbeats
 *  on `mud.heartbeat`, takes the gateway's `join` (world definition and where
 *  the state lives), then serves its own subject (actor homes) and the
 *  function queue group with a NodeRuntime. */
export class NatsNode {
  readonly instance = randomBytes(6).toString('hex');
  private runtime: NodeService | undefined;
  private storeChoice: string | undefined;
  private store: StateStore | undefined;
  private turnsSub: Subscription | undefined;
  private readonly subs: Subscription[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private leaving: Promise<void> | undefined;
  private resolveDone!: (how: { reason: string; refused: boolean }) => void;
  /** Resolves once the node has left and let go of NATS: why, and whether it refused to join. */
  readonly done = new Promise<{ reason: string; refused: boolean }>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly opts: NatsNodeOptions) {}

  async start(): Promise<void> {
    const nc = this.opts.link.connection;
    await this.checkIdFree();
    this.subs.push(nc.subscribe(SUBJECTS.node(this.opts.id), { callback: (err, msg) => { if (!err) this.serve(msg); } }));
    this.subs.push(nc.subscribe(SUBJECTS.control(this.opts.id), { callback: (err, msg) => { if (!err) void this.control(msg); } }));
    this.subs.push(nc.subscribe(SUBJECTS.rollCall, { callback: (err) => { if (!err && !this.leaving) this.beat(); } }));
    await nc.flush(); // subscribed at the server before anyone hears of us
    this.beat();
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_EVERY_MS);
    this.opts.log.info('node started', { node: this.opts.id, instance: this.instance, pid: process.pid, nats: this.opts.link.url, state: 'waiting for the gateway' });
  }

  /** Leaves the cluster: no new turns, in-flight ones finish, goodbye, disconnect. */
  leave(reason: string, refused = false): Promise<void> {
    return (this.leaving ??= this.drainAndGo(reason, refused));
  }

  private async drainAndGo(reason: string, refused: boolean): Promise<void> {
    clearInterval(this.heartbeat);
    const nc = this.opts.link.connection;
    if (this.opts.link.isUp) nc.publish(SUBJECTS.bye, encode({ id: this.opts.id, instance: this.instance }));
    this.turnsSub?.unsubscribe();
    for (let waited = 0; this.inFlight > 0 && waited < DRAIN_MS; waited += 20) await new Promise((r) => setTimeout(r, 20));
    for (const s of this.subs) s.unsubscribe();
    this.runtime?.close();
    await this.store?.close().catch(() => undefined);
    await this.opts.link.close();
    this.opts.log.info('node stopped', { node: this.opts.id, reason });
    this.resolveDone({ reason, refused });
  }

  /** Two processes with one id would both answer the id's subject: refuse to be the second. */
  private async checkIdFree(): Promise<void> {
    try {
      await this.opts.link.connection.request(SUBJECTS.node(this.opts.id), encode({ t: 'stats' }), { timeout: 1_000 });
    } catch (err) {
      if (isNoResponders(err)) return;
      // A timeout means something holds the subject but does not answer: still taken.
    }
    throw new Error(`node id ${this.opts.id} is already in use in this cluster: pick another with --id`);
  }

  private beat(): void {
    if (!this.opts.link.isUp) return;
    const hello: Hello = { id: this.opts.id, instance: this.instance, pid: process.pid, host: hostname() };
    this.opts.link.connection.publish(SUBJECTS.heartbeat, encode(hello));
  }

  private serve(msg: NatsMsg): void {
    this.inFlight++;
    void answer<NodeReply>(msg, () => {
      // Refused turns are retried by the gateway elsewhere (they carry ids: never run twice).
      if (this.leaving) throw new Error(`node ${this.opts.id} is leaving`);
      if (!this.runtime) throw new Error(`node ${this.opts.id} has not joined the gateway yet`);
      const req = decode<NodeRequest>(msg.data);
      if (!req || !REQUEST_TYPES.has(req.t) || !this.runtime.acceptsRemote(req)) throw new Error(`node ${this.opts.id}: malformed request`);
      return this.runtime.handle(req);
    }).finally(() => this.inFlight--);
  }

  private async control(msg: NatsMsg): Promise<void> {
    const c = decode<Control>(msg.data);
    if (c.t === 'stop') {
      await answer(msg, () => ({ stopping: this.opts.id }));
      void this.leave('asked to stop by the gateway');
      return;
    }
    if (c.t === 'join') {
      await answer(msg, () => this.join(c));
      return;
    }
    await answer(msg, () => { throw new Error(`unknown control message ${(c as { t?: string }).t}`); });
  }

  /** The gateway's welcome (at its start, or after a restart of either side). */
  private async join(c: Extract<Control, { t: 'join' }>): Promise<{ joined: string }> {
    if (c.instance !== this.instance) throw new Error(`join meant for another process with id ${this.opts.id}`);
    if (!c.definition || typeof c.definition !== 'object' || !isStoreKind(c.store?.kind)) throw new Error('malformed join');
    const spec = storeSpec(c.store.kind);
    if (this.opts.store && this.opts.store !== c.store.kind) {
      const why = `the gateway keeps state in ${spec.describe(c.store)}, but this node was started with --store ${this.opts.store}`;
      this.opts.log.error('node refused to join', { node: this.opts.id, why });
      void this.leave(why, true);
      throw new Error(why);
    }
    const choice = JSON.stringify(c.store);
    // A store that is not shared (a file store) is that gateway's alone: a join over it (a restarted gateway)
    // starts from its store, with its epochs. A shared one (a KV bucket) is the cluster's: a second gateway's
    // join shares it, and the objects cached here go: a join after the first is a gateway that counted this
    // node gone (cut off, then heard again) or restarted, and meanwhile they may have been homed and written
    // elsewhere. The placement brings them back here, and a turn that writes nothing would answer from the
    // old copy (a trade's answer dropped as no longer its own, the trade left settling for good: the node
    // cut mid-trade, test/netns-lab.test.ts). Each reloads from the store at its next message.
    if (choice !== this.storeChoice || !this.runtime || !spec.caps.shared) {
      this.runtime?.close();
      await this.store?.close().catch(() => undefined);
      this.store = await spec.openOnNode(this.opts.link, c.store);
      this.storeChoice = choice;
      this.runtime = this.opts.service(this.opts.id, this.store, c.definition);
    } else {
      await this.runtime.handle({ t: 'release', actorRefs: 'all' });
      await this.runtime.handle({ t: 'world', definition: c.definition });
    }
    this.runtime.fence.observe(c.epoch);
    if (!this.turnsSub) {
      this.turnsSub = this.opts.link.connection.subscribe(SUBJECTS.turns, { queue: SUBJECTS.turnsQueue, callback: (err, m) => { if (!err) this.serve(m); } });
      await this.opts.link.connection.flush();
    }
    this.opts.log.info('joined the gateway', { node: this.opts.id, store: spec.describe(c.store), world: c.definition.name, epoch: this.runtime.fence.epoch });
    return { joined: this.opts.id };
  }
}
