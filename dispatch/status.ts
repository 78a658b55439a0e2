import type { ModeTable } from './mode-table.js';
import type { Bottleneck } from './bottleneck.js';

/** One frame of what the server is doing: what `mud status` prints and what
 *  the monitor draws. Rates are per second over the last sampling window. */
export interface Status {
  time: number;
  /** `actor`, or `default=actor, room=function` when mixed. */
  mode: string;
  /** The mode-table epoch the gateway routes by (the cluster's, with several gateways). */
  epoch: number;
  modes: ModeTable;
  shardCapacity: number;
  /** `off`, `on (100/room)`, or `actor only: switch to actor to shard`. */
  sharding: string;
  autoPromote: boolean;
  players: number;
  nodes: NodeRow[];
  store: StoreRow;
  hot: HotRow[];
  shards: Array<{ room: string; players: number }>;
  events: EventRow[];
  /** What limits the server now, in words (dispatch/bottleneck.ts). */
  bottleneck: Bottleneck;
  /** Durable timers (absent from servers older than them). */
  timers?: TimerRow;
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
