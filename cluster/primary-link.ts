import { PortRpc, type PortLike } from '../lattice/port-rpc.js';
import type { ToGateway, ToPrimary } from './forked-wire.js';

type Notice = Exclude<ToGateway, { t: 'serve' }>;
type NoticeOf<T extends Notice['t']> = Extract<Notice, { t: T }>;

/** A gateway process's channel to its primary (`mud serve --gateways N`): requests and notices
 *  both ways over the IPC channel, batched per tick (lattice/port-rpc.ts). The gateway's store,
 *  lattice, membership and bus all speak through this one channel, so what one sends keeps its
 *  order with what another sends. */
export class PrimaryLink {
  private readonly rpc: PortRpc<ToPrimary, unknown, ToGateway, unknown>;
  private readonly handlers = new Map<string, Set<(n: Notice) => void>>();
  private serving: ((what: string, body: unknown) => Promise<unknown>) | undefined;

  constructor(channel: PortLike) {
    this.rpc = new PortRpc(channel, (m: ToGateway) => this.receive(m));
  }

  /** Over this process's own IPC channel to the cluster primary that forked it. */
  static ofProcess(): PrimaryLink {
    const send = process.send?.bind(process);
    if (!send) throw new Error('this gateway process has no IPC channel to its primary');
    return new PrimaryLink({ postMessage: (v) => send(v), on: (event, listener) => process.on(event, listener) });
  }

  request<T>(m: ToPrimary, timeoutMs = 0): Promise<T> {
    return this.rpc.request(m, timeoutMs) as Promise<T>;
  }

  notify(m: ToPrimary): void {
    this.rpc.notify(m);
  }

  /** Hears the primary's notices of one type; returns the way to stop. */
  on<T extends Notice['t']>(t: T, handler: (n: NoticeOf<T>) => void): () => void {
    let set = this.handlers.get(t);
    if (!set) this.handlers.set(t, (set = new Set()));
    const h = handler as (n: Notice) => void;
    set.add(h);
    return () => set.delete(h);
  }

  /** Answers other gateways' asks (`what` names the request). */
  serve(handler: (what: string, body: unknown) => Promise<unknown>): void {
    this.serving = handler;
  }

  private receive(m: ToGateway): Promise<unknown> | undefined {
    if (m.t === 'serve') {
      if (!this.serving) return Promise.reject(new Error('this gateway serves no requests yet'));
      return this.serving(m.what, m.body);
    }
    for (const h of this.handlers.get(m.t) ?? []) h(m);
    return undefined;
  }
}
