// The gateways of a cluster as the rest of the server sees them, naming no transport: who is live,
// who owns what (rendezvous hashing over live ids), and word when one joins, leaves, or this one
// hears again after a cut. Over NATS: cluster/gateway-membership.ts (heartbeats).
import type { StoreKind } from '../store/registry.js';
import type { GatewayBus } from './gateway-bus.js';
import type { SwitchPeers } from './switch-peers.js';

/** What a gateway says of itself every heartbeat: who it is, where players reach
 *  it, and its figures of the last window (the cluster's status is built from these). */
export interface GatewayHello {
  id: string;
  instance: string;
  pid: number;
  host: string;
  ports: { telnet: number; http: number; admin: number };
  /** Where it keeps state (its `--store`): only gateways whose store is shared can share a cluster. */
  store: StoreKind;
  /** Its figures of the last status window (ops/status.ts `GatewayReport`: the status layer reads them). */
  stats?: unknown;
  /** Some client on it takes out-of-band data: turns run by any gateway build their
   *  `emit`s (TurnConfig.clientData). Absent counts as yes. */
  clientData?: boolean;
}

export interface GatewayEvent {
  type: 'joined' | 'left';
  gateway: string;
  /** For `left`: 'stopped' (said goodbye) or 'timed out' (died, or cut off). */
  reason?: string;
}

/** The cluster's gateways, this one among them. */
export interface Gateways {
  readonly id: string;
  /** This process's incarnation of `id`: a gateway restarted under the same id is another instance. */
  readonly instance: string;
  /** Live gateways' ids, this one included, sorted. */
  ids(): string[];
  /** The other live gateways, with what they last said. */
  others(): GatewayHello[];
  /** This gateway as the others see it. */
  hello(): GatewayHello;
  /** The live gateway that owns `key` (every gateway computes the same). */
  owner(key: string): string;
  isLive(id: string): boolean;
  onChange(listener: (e: GatewayEvent) => void): () => void;
  /** This gateway hears the others again after a cut (or a partition healed): they may have counted it gone. */
  onRejoin(listener: (silentMs: number) => void): () => void;
  /** Where players reach this gateway, once its listeners are up. */
  setPorts(ports: GatewayHello['ports']): void;
  /** Where this gateway's figures are read from (the status collector, once it runs). */
  setStats(stats: () => unknown): void;
  /** Says whether a client here takes out-of-band data, at once when the first one comes. */
  shareDataDemand(demand: { readonly wanted: boolean; onChange(watcher: (wanted: boolean) => void): void }): void;
  /** True when another live gateway has a client that takes out-of-band data. */
  othersTakeData(): boolean;
  /** Leaves with a goodbye: the others stop counting on this gateway at once. */
  close(): void;
  /** `mud upgrade`: leaves with no goodbye, for a successor that goes on as this instance. */
  handOver(): Promise<void>;
}

/** A gateway's part in a cluster, as one transport carries it (NATS: bin/nats-setup.ts): the
 *  others, the bus to their players, and the live switch's messages. Nothing else of the
 *  cluster names the transport. */
export interface ClusterCarrier {
  /** The gateways share the state (`--store nats`): the cluster's mode table, session keys and timers are
   *  in it. False: this gateway keeps the state itself (`--store file` over NATS) and must stay alone. */
  shared: boolean;
  gateways: Gateways;
  bus: GatewayBus;
  switchPeers: SwitchPeers;
  /** The gateways listen on the same ports, started by one command line (`mud serve --gateways N`):
   *  an admin call reaches one of them, which passes on what concerns every listener (a new TLS certificate). */
  sameListeners?: boolean;
}
