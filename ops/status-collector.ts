import { performance } from 'node:perf_hooks';
import type { StateStore, StoreStats } from '../store/state-store.js';
import type { Logger, LogEvent } from '../support/logger.js';
import { formatLogEvent } from '../support/logger.js';
import type { Engine } from '../dispatch/engine.js';
import type { LocationIndex } from '../dispatch/location-index.js';
import { formatModeTable, modeOf } from '../dispatch/mode-table.js';
import type { NodePool } from '../modes/node-pool.js';
import type { TurnMeter } from '../dispatch/turn-meter.js';
import type { EventRow, GatewayReport, GatewayRow, HotRow, NodeRow, Status, TimerRow } from './status.js';
import type { Gateways } from '../cluster/gateways.js';
import { mergeGatewayReports } from './cluster-status.js';
import { bottleneckOf } from './bottleneck.js';
import { HostCpu } from './host-cpu.js';
import { shardingState } from '../modes/actor/sharding-state.js';

export interface CollectorDeps {
  engine: Engine;
  /** Where this gateway's players are (the crowded rooms and shards). */
  locations: LocationIndex;
  store: StateStore;
  meter: TurnMeter;
  log: Logger;
  pool?: NodePool;
  players(): number;
  shardCapacity(): number;
  autoPromote(): boolean;
  /** Objects homed on the gateway (in-process mode). */
  gatewayObjects(): number;
  /** Lines handed to this gateway's sessions since start. */
  linesDelivered?(): number;
  /** The cluster's gateways (`mud serve --nats`): the status becomes the cluster's. */
  gateways?: Gateways;
  /** The mode table's epoch. */
  epoch?(): number;
  /** Several gateways: the line bus's counters since start (cluster/cluster-outlet.ts). */
  bus?(): { published: number; receivedLines: number; deliveredFromBus: number };
  /** The host's CPU sampler (tests pass one over a fake reading). */
  hostCpu?: HostCpu;
}

const EVENTS_KEPT = 50;

/** Samples counters once per period (never scanning objects) into a Status,
 *  and hands each frame to subscribers: the admin stream, the auto-promoter. */
export class StatusCollector {
  private last: Status | undefined;
  private lastStore: StoreStats;
  private lastTime = performance.now();
  /** Per node: the last report used, and the rate it gave (kept until a newer report comes). */
  private readonly nodeRates = new Map<string, { time: number; turns: number; rate: number }>();
  private elu = performance.eventLoopUtilization();
  private readonly events: EventRow[] = [];
  private readonly listeners = new Set<(s: Status) => void>();
  private readonly timer: NodeJS.Timeout;
  private readonly host: HostCpu;
  private lastLines = 0;
  private lastBus = { published: 0, receivedLines: 0, deliveredFromBus: 0 };
  private report: GatewayReport | undefined;

  constructor(private readonly deps: CollectorDeps, periodMs = 250) {
    this.host = deps.hostCpu ?? new HostCpu();
    this.lastStore = deps.store.stats();
    this.lastLines = deps.linesDelivered?.() ?? 0;
    deps.gateways?.setStats(() => this.report);
    deps.log.subscribe((e) => this.event(e));
    this.timer = setInterval(() => this.sample(), periodMs);
    this.timer.unref();
  }

  /** The last sample's figures (rates need a window), with what a switch changes read now: right after `mud dispatch`
   *  returns, the table and epoch are the new ones (a sample up to a period old showed the old, and a script or a
   *  test reading them at once was told the switch had not happened). */
  latest(): Status {
    const last = this.last ?? this.sample();
    const modes = this.deps.engine.modes;
    const epoch = this.deps.epoch?.() ?? 0;
    const shardCapacity = this.deps.shardCapacity();
    if (last.modes === modes && last.epoch === epoch && last.shardCapacity === shardCapacity) return last;
    return { ...last, mode: formatModeTable(modes), modes, epoch, shardCapacity, sharding: shardingState(modes, shardCapacity) };
  }

  /** This gateway's own figures of the latest sample (the status merges the other gateways' in). */
  localReport(): GatewayReport | undefined {
    return this.report;
  }

  subscribe(listener: (s: Status) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private event(e: LogEvent): void {
    // Routine chatter stays in the server log; the status keeps lifecycle events.
    if ((e.event === 'turn' && e.level === 'info') || e.event === 'login' || e.event === 'logout') return;
    this.events.push({ time: e.time, level: e.level, text: formatLogEvent(e).split(' ').slice(2).join(' ') });
    if (this.events.length > EVENTS_KEPT) this.events.shift();
  }

  private sample(): Status {
    const now = performance.now();
    const secs = Math.max(0.001, (now - this.lastTime) / 1000);
    this.lastTime = now;
    const window = this.deps.meter.take();
    const modes = this.deps.engine.modes;
    const gatewayNode = this.gatewayRow(window.nodes.find((n) => n.node === 'gateway'), secs);
    const local = {
      gateway: this.ownGatewayRow(gatewayNode, secs),
      store: this.storeRow(secs),
      hot: this.hotRows(secs),
      timers: this.timerRow(secs),
    };
    this.report = local;
    // With several gateways every figure is the cluster's: this gateway's own, plus what the others said in their last heartbeat.
    const others = this.deps.gateways?.others().map((g) => g.stats as GatewayReport | undefined).filter((r): r is GatewayReport => !!r?.gateway) ?? [];
    const cluster = this.deps.gateways ? mergeGatewayReports(local, others, (ref) => this.placeOf(ref)) : undefined;
    const figures = {
      time: Date.now(),
      mode: formatModeTable(modes),
      modes,
      shardCapacity: this.deps.shardCapacity(),
      sharding: shardingState(modes, this.deps.shardCapacity()),
      autoPromote: this.deps.autoPromote(),
      players: cluster ? cluster.players : this.deps.players(),
      nodes: [gatewayNode, ...this.nodeRows()],
      nodesOnFirstUse: this.deps.pool?.lattice.notStarted || undefined,
      store: cluster?.store ?? local.store,
      hot: cluster?.hot ?? local.hot,
      shards: shardedRooms(this.deps.locations.crowds(50)),
      events: this.events.slice(-20),
      timers: cluster?.timers ?? local.timers,
      gateways: cluster?.gateways,
      epoch: this.deps.epoch?.() ?? 0,
      host: this.host.take(),
    };
    const status: Status = { ...figures, bottleneck: bottleneckOf(figures) };
    this.last = status;
    for (const l of this.listeners) l(status);
    return status;
  }

  private timerRow(secs: number): TimerRow {
    const { pending, fired, lagP50Ms, lagP99Ms, lagMaxMs } = this.deps.engine.timers.takeWindow();
    return { pending, firedPerSec: fired / secs, lagP50Ms, lagP99Ms, lagMaxMs };
  }

  private gatewayRow(turns: { turns: number; p50us: number; p99us: number } | undefined, secs: number): NodeRow {
    const elu = performance.eventLoopUtilization(this.elu);
    this.elu = performance.eventLoopUtilization();
    return {
      id: 'gateway', objects: this.deps.gatewayObjects(), turnsPerSec: (turns?.turns ?? 0) / secs, mailbox: this.deps.engine.heldCount,
      elu: elu.utilization, p50Ms: (turns?.p50us ?? 0) / 1000, p99Ms: (turns?.p99us ?? 0) / 1000,
    };
  }

  private ownGatewayRow(node: NodeRow, secs: number): GatewayRow {
    const lines = this.deps.linesDelivered?.() ?? 0;
    const latency = this.deps.engine.commandLatency;
    const row: GatewayRow = {
      id: this.deps.gateways?.id ?? 'gateway', host: this.deps.gateways?.hello().host ?? '', sockets: this.deps.players(),
      commandsPerSec: latency.total / secs, linesPerSec: Math.max(0, lines - this.lastLines) / secs, elu: node.elu,
      p50Ms: latency.quantile(0.5) / 1000, p99Ms: latency.quantile(0.99) / 1000, epoch: this.deps.epoch?.() ?? 0,
    };
    latency.reset();
    this.lastLines = lines;
    const bus = this.deps.bus?.();
    if (bus) {
      const heard = bus.receivedLines - this.lastBus.receivedLines;
      row.natsOutPerSec = (bus.published - this.lastBus.published) / secs;
      row.natsInPerSec = heard / secs;
      row.linesPerNatsMsg = heard > 0 ? (bus.deliveredFromBus - this.lastBus.deliveredFromBus) / heard : 0;
      this.lastBus = { published: bus.published, receivedLines: bus.receivedLines, deliveredFromBus: bus.deliveredFromBus };
    }
    return row;
  }

  /** An object's mode and home as this gateway sees them (the same table and placement everywhere). */
  private placeOf(ref: string): { mode: string; home: string } {
    return { mode: modeOf(this.deps.engine.modes, ref), home: this.deps.engine.dispatcherFor(ref).home?.(ref) ?? 'no home' };
  }

  private nodeRows(): NodeRow[] {
    return (this.deps.pool?.stats() ?? []).map((n) => {
      return {
        id: n.id, objects: n.activations, turnsPerSec: this.nodeRate(n.id, n.time, n.turns), mailbox: n.mailboxDepth,
        elu: n.elu, p50Ms: n.p50us / 1000, p99Ms: n.p99us / 1000,
      };
    });
  }

  /** Turns/s between the node's own report times, so polling and sampling need not line up. */
  private nodeRate(id: string, time: number, turns: number): number {
    const last = this.nodeRates.get(id);
    if (!last || time < last.time) {
      this.nodeRates.set(id, { time, turns, rate: 0 });
      return 0;
    }
    if (time === last.time) return last.rate;
    const rate = Math.max(0, turns - last.turns) / ((time - last.time) / 1000);
    this.nodeRates.set(id, { time, turns, rate });
    return rate;
  }

  private storeRow(secs: number): Status['store'] {
    const s = this.deps.store.stats();
    const d = (k: keyof StoreStats) => Math.max(0, s[k] - this.lastStore[k]) / secs;
    const row = {
      kind: this.deps.store.name, opsPerSec: d('reads') + d('writes'), readsPerSec: d('reads'), writesPerSec: d('writes'),
      conflictsPerSec: d('casConflicts'), commitsPerSec: d('commits'),
    };
    this.lastStore = s;
    return row;
  }

  private hotRows(secs: number): HotRow[] {
    return this.deps.meter.hot.take(10, secs).map(({ ref, turnsPerSec, conflictsPerSec }) => {
      const { mode, home } = this.placeOf(ref);
      const mailbox = this.deps.engine.dispatcherFor(ref).mailboxDepth?.(ref) ?? 0;
      return { ref, turnsPerSec, mode, home, conflictsPerSec, mailbox };
    });
  }
}

/** The shards and the rooms they split from (`room/plaza` and `room/plaza~2`), busiest first: never a
 *  crowded room that has no shard, which is not one. */
export function shardedRooms(crowds: Array<{ room: string; players: number }>): Array<{ room: string; players: number }> {
  const split = new Set(crowds.filter((c) => c.room.includes('~')).map((c) => c.room.slice(0, c.room.indexOf('~'))));
  return crowds.filter((c) => c.room.includes('~') || split.has(c.room)).slice(0, 10);
}
