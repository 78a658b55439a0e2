import { RpcClosedError, RpcTimeoutError } from '../lattice/port-rpc.js';
import type { BusStats, GatewayBus, LineKind } from './gateway-bus.js';
import type { AskReply } from './forked-wire.js';
import type { PrimaryLink } from './primary-link.js';

/** The gateway asked is not live, or did not answer in time: as NATS's "no responders" or a timeout. */
export class GatewaySilentError extends Error {
  override readonly name = 'GatewaySilentError';
}

/** The gateway bus (cluster/gateway-bus.ts) of `mud serve --gateways N`, through the primary: a line
 *  published goes to the primary, which hands it to every other gateway process; each delivers what
 *  its own listeners want, once per gateway, as NATS does (and, as with NATS's `noEcho`, never hears
 *  its own). Requests and messages go to one gateway by id. */
export class ForkedGatewayBus implements GatewayBus {
  private readonly counts: BusStats = { published: 0, received: 0, unreadable: 0, unsent: 0 };
  private readonly lines = new Map<string, Set<(payload: unknown) => void>>();
  private readonly served = new Map<string, (body: unknown) => Promise<unknown> | unknown>();
  private readonly heard = new Map<string, Set<(body: unknown) => void>>();
  private readonly unheard: Array<() => void>;

  /** `othersLive`: whether another gateway is live now (alone, a line has nobody to go to). */
  constructor(private readonly link: PrimaryLink, private readonly othersLive: () => boolean) {
    this.unheard = [
      link.on('line', (m) => this.deliver(m.kind, m.key, m.payload)),
      link.on('told', (m) => {
        for (const h of this.heard.get(m.what) ?? []) h(m.body);
      }),
    ];
    link.serve(async (what, body) => {
      const work = this.served.get(what);
      if (!work) throw new Error(`this gateway does not serve ${what}`);
      return work(body);
    });
  }

  publish(kind: LineKind, key: string, payload: unknown): void {
    if (!this.othersLive()) return;
    this.link.notify({ t: 'publish', kind, key, payload });
    this.counts.published += 1;
  }

  /** The primary hears of this gateway's interest in a key when its first listener comes and its last goes,
   *  and relays that key's lines here only meanwhile (as a NATS subscription would). */
  listen(kind: LineKind, key: string, handler: (payload: unknown) => void): () => void {
    const address = `${kind} ${key}`;
    if (!this.lines.has(address)) this.link.notify({ t: 'listen', kind, key });
    const stop = addTo(this.lines, address, handler);
    return () => {
      stop();
      if (!this.lines.has(address)) this.link.notify({ t: 'unlisten', kind, key });
    };
  }

  serve(what: string, work: (body: unknown) => Promise<unknown> | unknown): void {
    this.served.set(what, work);
  }

  async ask<T>(id: string, what: string, body: unknown, timeoutMs: number): Promise<T> {
    // The primary gives up on the gateway at timeoutMs; this side waits a little longer for that word.
    const reply = await this.link.request<AskReply>({ t: 'ask', to: id, what, body, timeoutMs }, timeoutMs + 1_000).catch((err: Error) => {
      // Its refusal comes back as it said it; no word at all is silence.
      throw err instanceof RpcTimeoutError || err instanceof RpcClosedError ? new GatewaySilentError(`gateway ${id}: ${err.message}`) : err;
    });
    if ('absent' in reply) throw new GatewaySilentError(`gateway ${id} did not answer ${what}`);
    return reply.r as T;
  }

  tell(id: string, what: string, body: unknown): void {
    this.link.notify({ t: 'tell', to: id, what, body });
  }

  hear(what: string, handler: (body: unknown) => void): () => void {
    return addTo(this.heard, what, handler);
  }

  stats(): BusStats {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    for (const u of this.unheard.splice(0)) u();
    this.lines.clear();
    this.served.clear();
    this.heard.clear();
  }

  private deliver(kind: LineKind, key: string, payload: unknown): void {
    const exact = this.lines.get(`${kind} ${key}`);
    const any = this.lines.get(`${kind} *`);
    if (!exact && !any) return;
    this.counts.received += 1;
    for (const h of exact ?? []) h(payload);
    for (const h of any ?? []) h(payload);
  }
}

function addTo<T>(map: Map<string, Set<T>>, key: string, value: T): () => void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
  return () => {
    set.delete(value);
    if (!set.size && map.get(key) === set) map.delete(key);
  };
}
