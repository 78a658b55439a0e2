// How gateways reach each other's players: room lines, lines for one player,
// shouts and channel lines, and the gateways' own requests (who, takeover) and
// messages (timers handed to their owner), naming no transport.
// `cluster/cluster-outlet.ts` sees a `LineBus`, `portal/cluster-sessions.ts` and
// `cluster/cluster-timers.ts` a `GatewayRequests`. Over NATS: cluster/nats-gateway-bus.ts.

/** What a line is addressed to: a room, one player, an area, a channel. */
export type LineKind = 'room' | 'player' | 'area' | 'chan';

/** Publish and listen by address. A gateway never hears its own publications
 *  (it delivered them itself already). Payloads are JSON; listeners get them
 *  parsed and must check their shape (another process sent them). */
export interface LineBus {
  publish(kind: LineKind, key: string, payload: unknown): void;
  /** Listens to one key, or to every key of the kind with '*'; returns the way to stop. */
  listen(kind: LineKind, key: string, handler: (payload: unknown) => void): () => void;
}

/** Requests and messages to one gateway by id (over NATS `mud.gw.<id>.<what>`). */
export interface GatewayRequests {
  /** Answers `what` addressed to this gateway with what `work` resolves to (or its error). */
  serve(what: string, work: (body: unknown) => Promise<unknown> | unknown): void;
  /** Asks gateway `id`; rejects on its error, on no one answering, or after `timeoutMs`. */
  ask<T>(id: string, what: string, body: unknown, timeoutMs: number): Promise<T>;
  /** One way to gateway `id`: no answer, and nothing if it is gone (for what the store holds the truth of). */
  tell(id: string, what: string, body: unknown): void;
  /** Hears what is told to this gateway under `what` (checked by the handler: another process sent it); returns the way to stop. */
  hear(what: string, handler: (body: unknown) => void): () => void;
}

export interface BusStats {
  /** Messages sent with lines (NATS messages on line subjects). */
  published: number;
  /** Messages heard with lines. */
  received: number;
  /** Messages heard that were not JSON (dropped). */
  unreadable: number;
  /** Lines that could not be sent (the connection closing). */
  unsent: number;
}

/** The bus a gateway of a cluster is given: lines, requests, its counters; closed at shutdown. */
export interface GatewayBus extends LineBus, GatewayRequests {
  stats(): BusStats;
  close(): Promise<void>;
}
