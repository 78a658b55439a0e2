// What crosses the IPC channel between the primary of `mud serve --gateways N` and its gateway
// processes (Node's `cluster` module), as JSON: an answer of undefined loses its field, an undefined
// in an array becomes null, so nothing here relies on either. The channel is local, between a parent
// and its children; the primary relays what one gateway says to another, it is no broker.
import type { GatewayHello } from './gateways.js';
import type { LineKind } from './gateway-bus.js';
import type { MembershipEvent } from '../lattice/lattice.js';
import type { RelayedNodeCall } from '../lattice/relayed-lattice.js';
import type { GatewayStoreOp } from '../store/relayed-store.js';

/** The environment variable that makes a forked `mud serve` a gateway of its primary, with this id. */
export const GATEWAY_ID_ENV = 'MUD_GATEWAY_ID';

/** The id of forked gateway `i` (1-based). */
export const forkedGatewayId = (i: number): string => `gw-${i}`;

/** What a gateway process sends its primary. Requests (store, node, nodes, join, ask) are answered;
 *  notices (hello, bye, publish, listen, unlisten, tell) are not, and keep their order with the requests. */
export type ToPrimary =
  | GatewayStoreOp
  | RelayedNodeCall
  | { t: 'join'; hello: GatewayHello }
  | { t: 'ask'; to: string; what: string; body: unknown; timeoutMs: number }
  | { t: 'hello'; hello: GatewayHello }
  | { t: 'bye' }
  | { t: 'publish'; kind: LineKind; key: string; payload: unknown }
  /** This gateway listens to a key (or to every key of the kind, '*') from now on, or no longer. */
  | { t: 'listen' | 'unlisten'; kind: LineKind; key: string }
  | { t: 'tell'; to: string; what: string; body: unknown };

/** What the primary sends a gateway process. `serve` is a request (another gateway's ask); the rest are notices. */
export type ToGateway =
  | { t: 'serve'; what: string; body: unknown }
  | { t: 'line'; kind: LineKind; key: string; payload: unknown }
  | { t: 'told'; what: string; body: unknown }
  | { t: 'joined'; hello: GatewayHello }
  | { t: 'left'; id: string; reason: string }
  | { t: 'hello'; hello: GatewayHello }
  | { t: 'node'; event: MembershipEvent };

/** The primary's answer to `join`: the other live gateways and the live nodes. */
export interface JoinReply {
  gateways: GatewayHello[];
  nodes: string[];
}

/** The primary's answer to `ask`: what the gateway answered, or that no live gateway has that id. */
export type AskReply = { r: unknown } | { absent: true };
