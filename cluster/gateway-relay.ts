import type { Logger } from '../support/logger.js';
import type { Lattice } from '../lattice/lattice.js';
import { PortRpc, RpcClosedError, RpcTimeoutError, type PortLike } from '../lattice/port-rpc.js';
import type { StateStore } from '../store/state-store.js';
import { serveGatewayStoreOp } from '../store/relayed-store.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { GatewayHello } from './gateways.js';
import type { AskReply, JoinReply, ToGateway, ToPrimary } from './forked-wire.js';

interface Member {
  rpc: PortRpc<ToGateway, unknown, ToPrimary, unknown>;
  /** Set once it joined: a live gateway. */
  hello?: GatewayHello;
  /** The addresses (`<kind> <key>`) whose lines it listens to. */
  listens: Set<string>;
}

export interface GatewayRelayOptions {
  store: StateStore;
  lattice: Lattice;
  log: Logger;
  /** Told each world a gateway sends the nodes (a reload): nodes started later begin with it. */
  worldSent(definition: WorldDefinition): void;
}

/** The primary's half of `mud serve --gateways N`: it serves each gateway process's store operations
 *  and node requests against the one store and the one lattice of node threads, and relays what
 *  gateways say to each other (lines, asks, one-way messages, hellos, joins and exits). It holds no
 *  game state of its own: the store and the nodes do. */
export class GatewayRelay {
  private readonly members = new Map<string, Member>();
  private readonly unwatch: () => void;

  constructor(private readonly o: GatewayRelayOptions) {
    this.unwatch = o.lattice.onMembership((event) => this.toAll({ t: 'node', event }));
  }

  /** A gateway process forked under `id`, over its IPC channel. */
  attach(id: string, channel: PortLike): void {
    const member: Member = { rpc: undefined!, listens: new Set() };
    member.rpc = new PortRpc(channel, (m: ToPrimary) => this.serve(id, member, m));
    this.members.set(id, member);
  }

  /** Its process exited: whatever it had pending fails, and the others hear at once that it left. */
  detach(id: string, reason: string): void {
    const member = this.members.get(id);
    if (!member) return;
    this.members.delete(id);
    member.rpc.close(`gateway ${id} ${reason}`);
    if (member.hello) this.toAll({ t: 'left', id, reason });
  }

  /** Live gateways' ids. */
  live(): string[] {
    return [...this.members].filter(([, m]) => m.hello).map(([id]) => id);
  }

  close(): void {
    this.unwatch();
  }

  private serve(id: string, self: Member, m: ToPrimary): Promise<unknown> | unknown {
    switch (m.t) {
      case 'store': return serveGatewayStoreOp(this.o.store, m);
      case 'node':
        if (m.req.t === 'world') this.o.worldSent(m.req.definition);
        return this.o.lattice.request(m.node, m.req, m.timeoutMs);
      case 'nodes': return m.op === 'add' ? this.o.lattice.addNode() : this.o.lattice.removeNode(m.node, m.how);
      case 'join': {
        const reply: JoinReply = { gateways: this.others(id).map((o) => o.hello!), nodes: this.o.lattice.nodes() };
        self.hello = m.hello;
        this.toAll({ t: 'joined', hello: m.hello }, id);
        this.o.log.info('gateway joined', { gateway: id, pid: m.hello.pid, gateways: this.live().length });
        return reply;
      }
      case 'ask': return this.ask(m.to, m.what, m.body, m.timeoutMs);
      case 'hello':
        if (!self.hello) return undefined;
        self.hello = m.hello;
        return this.toAll({ t: 'hello', hello: m.hello }, id);
      case 'bye':
        if (!self.hello) return undefined;
        self.hello = undefined;
        return this.toAll({ t: 'left', id, reason: 'stopped' }, id);
      case 'publish': return this.publish(id, { t: 'line', kind: m.kind, key: m.key, payload: m.payload });
      case 'listen': return self.listens.add(`${m.kind} ${m.key}`);
      case 'unlisten': return self.listens.delete(`${m.kind} ${m.key}`);
      case 'tell': return this.members.get(m.to)?.hello && this.members.get(m.to)!.rpc.notify({ t: 'told', what: m.what, body: m.body });
    }
  }

  private async ask(to: string, what: string, body: unknown, timeoutMs: number): Promise<AskReply> {
    const target = this.members.get(to);
    if (!target?.hello) return { absent: true };
    try {
      return { r: await target.rpc.request({ t: 'serve', what, body }, timeoutMs) };
    } catch (err) {
      if (err instanceof RpcTimeoutError || err instanceof RpcClosedError) return { absent: true };
      throw err;
    }
  }

  /** A line to every other live gateway listening to its key, or to every key of its kind: once each. */
  private publish(from: string, line: Extract<ToGateway, { t: 'line' }>): void {
    const exact = `${line.kind} ${line.key}`;
    const any = `${line.kind} *`;
    for (const [id, member] of this.members) {
      if (id !== from && member.hello && (member.listens.has(exact) || member.listens.has(any))) member.rpc.notify(line);
    }
  }

  private others(id: string): Member[] {
    return [...this.members].filter(([other, m]) => other !== id && m.hello).map(([, m]) => m);
  }

  /** To every live gateway but `except`. */
  private toAll(m: ToGateway, except?: string): void {
    for (const [id, member] of this.members) if (id !== except && member.hello) member.rpc.notify(m);
  }
}
