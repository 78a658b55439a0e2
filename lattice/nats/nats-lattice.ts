import type { Subscription } from '@nats-io/transport-node';
import type { WorldDefinition } from '../../world/files/world-def.js';
import type { Lattice, MembershipEvent, NodeReply, NodeRequest } from '../lattice.js';
import type { Logger } from '../../support/logger.js';
import type { StateStore } from '../../store/state-store.js';
import { type NatsLink, type OutageEvent } from '../../nats/nats-connection.js';
import { isNoResponders } from '../../nats/nats-errors.js';
import { NatsMembership } from './nats-membership.js';
import { LocalNodes } from './local-nodes.js';
import { serveStoreOverNats } from '../../store/nats-store-service.js';
import { encode, SUBJECTS, unwrap, type Control, type Hello, type StoreChoice } from '../../nats/nats-wire.js';
import { accessEnv } from '../../nats/nats-access.js';

export interface NatsLatticeOptions {
  link: NatsLink;
  log: Logger;
  /** The world nodes get when they join (replaced by every world a reload sends through). */
  definition: WorldDefinition;
  /** What joining nodes are told (`choice`), and the gateway's own store when nodes reach it
   *  through the gateway (`serve`: answered on `mud.store`); without it nodes open the store themselves. */
  store: { choice: StoreChoice; serve?: StateStore };
  /** `mud node` processes to start on this machine; 0 = every node joins from outside. */
  localNodes: number;
  /** Prefix of the ids of nodes this gateway starts: with several gateways, each names its own (`<gateway>-n1`). */
  nodePrefix?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const JOIN_TIMEOUT_MS = 10_000;
/** Right after NATS comes back, nodes are still reconnecting: "no responders" then means "not yet", not "gone". */
const RECONNECT_GRACE_MS = 3_000;

interface Pending {
  reject(err: Error): void;
}

/** The gateway's side of a cluster of node processes joined by NATS. Actor turns
 *  go to the home's own subject (`mud.node.<id>`); function turns to a queue group
 *  (`mud.turns`), so NATS balances them. Membership comes from heartbeats. A
 *  request waits out a NATS outage and then runs again; one in flight at a node
 *  that vanishes (or, for function turns, at any node that vanishes) is rejected
 *  at once, and the engine retries it with the same message id. */
export class NatsLattice implements Lattice {
  readonly kind = 'nats' as const;
  private readonly membership: NatsMembership;
  private readonly local: LocalNodes | undefined;
  private readonly listeners = new Set<(e: MembershipEvent) => void>();
  private readonly pending = new Map<string, Set<Pending>>();
  private readonly anyPending = new Set<Pending>();
  /** Nodes killed on request (fault injection): their exit is reported as a kill, not a crash. */
  private readonly killed = new Set<string>();
  private definition: WorldDefinition;
  private storeSub: Subscription | undefined;
  private seq = 0;
  private epoch: number | undefined;

  constructor(private readonly opts: NatsLatticeOptions) {
    this.definition = opts.definition;
    this.membership = new NatsMembership({ link: opts.link, log: opts.log, join: (h) => this.welcome(h), emit: (e) => this.emit(e) });
    if (opts.localNodes > 0) {
      this.local = new LocalNodes({ natsUrl: opts.link.url, env: accessEnv(opts.link.access), log: opts.log, onExit: (id, how, expected) => this.childExited(id, how, expected) });
    }
  }

  /** Listens for nodes (and serves the gateway's store), then starts the local nodes and waits for them. */
  async start(): Promise<void> {
    if (this.opts.store.serve) this.storeSub = serveStoreOverNats(this.opts.link, this.opts.store.serve);
    this.membership.start();
    await this.opts.link.connection.flush();
    await Promise.all(Array.from({ length: this.opts.localNodes }, () => this.addNode()));
  }

  nodes(): string[] {
    return this.membership.nodes();
  }

  onMembership(listener: (e: MembershipEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The link's outages, for the server to tell players the game is paused. */
  onOutage(listener: (e: OutageEvent) => void): () => void {
    return this.opts.link.onOutage(listener);
  }

  async request(node: string, req: NodeRequest, timeoutMs = 0): Promise<NodeReply> {
    if (req.t === 'world') this.definition = req.definition; // nodes joining later get this one
    if (!this.membership.has(node)) throw new Error(`node ${node} is not running`);
    if (req.t === 'stats' && !this.opts.link.isUp) throw new Error('NATS is down'); // figures can wait; no pile-up
    try {
      return await this.tracked(this.setFor(node), (wanted) => this.ask(SUBJECTS.node(node), req, timeoutMs, wanted));
    } catch (err) {
      if (isNoResponders(err) && this.membership.leave(node, 'unreachable (nobody listens on its subject)')) {
        throw new Error(`node ${node} is gone`);
      }
      throw err;
    }
  }

  async requestAny(req: NodeRequest, timeoutMs = 0): Promise<NodeReply> {
    try {
      return await this.tracked(this.anyPending, (wanted) => this.ask(SUBJECTS.turns, req, timeoutMs, wanted));
    } catch (err) {
      if (isNoResponders(err)) throw new Error('no node is running to run functions');
      throw err;
    }
  }

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  async addNode(): Promise<string> {
    if (!this.local) {
      throw new Error(`this gateway starts no nodes of its own (--nodes 0): start one with \`mud node --nats ${this.opts.link.url}\``);
    }
    let id: string;
    do id = this.opts.nodePrefix ? `${this.opts.nodePrefix}n${++this.seq}` : `node-${++this.seq}`; while (this.membership.has(id) || this.local.has(id));
    const local = this.local;
    local.spawn(id);
    await this.membership.waitFor(id, JOIN_TIMEOUT_MS * 3, () => !local.has(id));
    return id;
  }

  async removeNode(id: string, how: 'stop' | 'kill'): Promise<void> {
    if (!this.membership.has(id)) throw new Error(`there is no node ${id}; nodes: ${this.nodes().join(', ') || 'none'}`);
    if (how === 'kill') {
      if (!this.local?.has(id)) {
        throw new Error(`node ${id} was not started by this gateway, so it cannot be killed from here: stop it (mud nodes remove ${id}) or kill its process on its own machine`);
      }
      this.killed.add(id);
      this.local.kill(id); // fault injection: its exit makes it leave, and a replacement starts
      return;
    }
    this.local?.expectExit(id);
    this.membership.leave(id, 'stopped', true);
    const inFlight = this.pending.get(id);
    for (let waited = 0; inFlight && inFlight.size > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await this.opts.link.connection.request(SUBJECTS.control(id), encode({ t: 'stop' } satisfies Control), { timeout: 5_000 });
  }

  async close(): Promise<void> {
    this.membership.close();
    this.storeSub?.unsubscribe();
    await this.local?.stopAll();
    await this.opts.link.close();
  }

  /** One request over NATS: waits out outages; "no responders" just after one means "try again". Sent again
   *  (the link's reconnect, a peer's move) only while `wanted`: one given up on when its node was counted gone
   *  has been delivered elsewhere by the engine, and the node, heard again, would run it a second time on a
   *  record whose window has slid past it (a message applied twice in the node cut, test/netns-lab.test.ts). */
  private async ask(subject: string, req: NodeRequest, timeoutMs: number, wanted: () => boolean): Promise<NodeReply> {
    const link = this.opts.link;
    const msg = await link.survive(
      () => wanted()
        ? link.connection.request(subject, encode(req), { timeout: timeoutMs || DEFAULT_TIMEOUT_MS })
        : Promise.reject(new Error(`a request to ${subject} given up on is not sent again`)),
      (err) => isNoResponders(err) && link.sinceUpMs() < RECONNECT_GRACE_MS,
    );
    return unwrap<NodeReply>(msg, subject);
  }

  /** Runs a request that its set can reject early (its node left); `run` is told whether it is still wanted. */
  private tracked<T>(set: Set<Pending>, run: (wanted: () => boolean) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let givenUp = false;
      const entry: Pending = {
        reject: (err) => {
          givenUp = true;
          reject(err);
        },
      };
      set.add(entry);
      run(() => !givenUp).then(resolve, reject).finally(() => set.delete(entry));
    });
  }

  private setFor(node: string): Set<Pending> {
    let set = this.pending.get(node);
    if (!set) this.pending.set(node, (set = new Set()));
    return set;
  }

  /** A node heard of for the first time gets the world and where the state is. */
  private async welcome(hello: Hello): Promise<void> {
    const join: Control = { t: 'join', instance: hello.instance, definition: this.definition, store: this.opts.store.choice, epoch: this.epoch };
    const msg = await this.opts.link.connection.request(SUBJECTS.control(hello.id), encode(join), { timeout: JOIN_TIMEOUT_MS });
    unwrap(msg, `node ${hello.id}`);
  }

  private childExited(id: string, how: string, expected: boolean): void {
    this.rejectPending(id, `node ${id} exited (${how}); the turn is retried`);
    // One that never joined failed to start: replacing it would only fail again.
    const killed = this.killed.delete(id);
    if (expected || !this.membership.leave(id, killed ? 'killed on request, replacing it' : `crashed (${how}), replacing it`, true)) return;
    if (!killed) this.opts.log.warn('node crashed', { node: id, how, replacing: true });
    void this.addNode().catch((err: Error) => this.opts.log.error('node replacement failed', { why: err.message }));
  }

  private rejectPending(node: string, reason: string): void {
    const why = new Error(reason);
    for (const p of this.pending.get(node) ?? []) p.reject(why);
    this.pending.delete(node);
    // Function turns do not say which node took them: any may have been at the one that went.
    for (const p of this.anyPending) p.reject(why);
  }

  private emit(e: MembershipEvent): void {
    // A node that says goodbye finishes what it has; one that vanished will not: its turns are retried now.
    if (e.type === 'left' && e.reason !== 'stopped') this.rejectPending(e.node, `node ${e.node} left (${e.reason ?? 'unknown'}); the turn is retried`);
    this.opts.log.info(e.type === 'joined' ? 'node joined' : 'node left', { node: e.node, reason: e.reason, nodes: this.nodes().length, lattice: 'nats' });
    for (const l of this.listeners) l(e);
  }
}
