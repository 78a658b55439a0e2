import type { ModeTable } from '../dispatch/mode-table.js';
import type { Bottleneck } from './bottleneck.js';
import type { HostRow } from './host-cpu.js';

/** One frame of what the server is doing: what `mud status` prints and what
 *  the monitor draws. Rates are per second over the last sampling window. */
export interface Status {
  time: number;
  /** `actor`, or `default=actor, room=function` when mixed. */
  mode: string;
  modes: ModeTable;
  shardCapacity: number;
  /** `off`, `on (100/room)`, or `actor only: switch to actor to shard`. */
  sharding: string;
  autoPromote: boolean;
  players: number;
  nodes: NodeRow[];
  /** Nodes that start on the first switch to a mode that runs objects on them (an embedded gateway in-process). */
  nodesOnFirstUse?: number;
  store: StoreRow;
  hot: HotRow[];
  shards: Array<{ room: string; players: number }>;
  events: EventRow[];
  /** What limits the server now, in words (ops/bottleneck.ts). */
  bottleneck: Bottleneck;
  /** Durable timers (absent from servers older than them). */
  timers?: TimerRow;
  /** The gateways of the cluster, this one first (absent when the server is the only gateway it can be: embedded). */
  gateways?: GatewayRow[];
  /** The mode table's epoch (counts live switches; the cluster's with several gateways). */
  epoch?: number;
  /** This gateway's machine: its cores and how busy they all were (absent from older servers). */
  host?: HostRow;
}

/** One gateway: its sockets, the commands they send, the lines it fans out, its loop. */
export interface GatewayRow {
  id: string;
  host: string;
  sockets: number;
  commandsPerSec: number;
  /** Lines written to its players' sockets per second (room lines fanned out, tells, channel lines). */
  linesPerSec: number;
  elu: number;
  /** Command latency: from the line read to the last consequence done (the next prompt). */
  p50Ms: number;
  p99Ms: number;
  epoch: number;
  /** Several gateways: NATS messages published and heard per second by its line bus, and the lines
   *  it fanned out per line message heard (room lines cross once per gateway: this is the saving). */
  natsOutPerSec?: number;
  natsInPerSec?: number;
  linesPerNatsMsg?: number;
}

/** What a gateway puts in its heartbeat so that any gateway's status is the cluster's. */
export interface GatewayReport {
  gateway: GatewayRow;
  store: StoreRow;
  hot: HotRow[];
  timers: TimerRow;
}

export interface TimerRow {
  pending: number;
  firedPerSec: number;
  /** Fire time minus due time over the window (ms). */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

export interface NodeRow {
  /** `gateway` is the main thread: sessions, routing, and in-process turns. */
  id: string;
  objects: number;
  turnsPerSec: number;
  mailbox: number;
  /** Event-loop utilisation, 0..1. */
  elu: number;
  p50Ms: number;
  p99Ms: number;
}

export interface StoreRow {
  kind: string;
  opsPerSec: number;
  readsPerSec: number;
  writesPerSec: number;
  conflictsPerSec: number;
  commitsPerSec: number;
}

export interface HotRow {
  ref: string;
  turnsPerSec: number;
  mode: string;
  /** Home node in actor mode, `gateway` in-process, `no home` as a function. */
  home: string;
  conflictsPerSec: number;
  mailbox: number;
}

export interface EventRow {
  time: number;
  level: string;
  text: string;
}
