import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Engine } from '../dispatch/engine.js';
import { modeOf } from '../dispatch/mode-table.js';
import type { StatusCollector } from '../ops/status-collector.js';
import type { TurnMeter } from '../dispatch/turn-meter.js';
import type { NodePool } from '../modes/node-pool.js';
import type { StateStore } from '../store/state-store.js';
import { SCRIPT_CALLS, type ScriptCallCounts } from '../world/scripts/script-meter.js';
import { REFUSAL_LIMITS, type RefusalCounts } from './refusal-counts.js';
import type { SocketCounts } from './socket-counts.js';

export interface MetricsSources {
  /** This gateway's id: the `gateway` label of every series. */
  gateway: string;
  engine: Engine;
  collector: StatusCollector;
  meter: TurnMeter;
  store: StateStore;
  pool?: NodePool;
  sockets: SocketCounts;
  refusals: RefusalCounts;
  /** Players logged in on this gateway now. */
  players(): number;
  /** Lines handed to this gateway's sessions since start. */
  linesDelivered(): number;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const WRITE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const QUANTILES = [['0.5', 'lagP50Ms'], ['0.99', 'lagP99Ms'], ['1', 'lagMaxMs']] as const;

/** The server's figures in Prometheus text format, for `GET /metrics` on the admin
 *  listener. Nothing is computed twice: rates, loop usage, hot objects, timers and
 *  the bottleneck are the status collector's latest sample (ops/status-collector.ts);
 *  counters are the running totals the parts keep (turn meter, store, script meter,
 *  refusals). Labels are bounded: modes, protocols, limits, node ids, and object refs
 *  only for the status's top 10 hottest. */
export class ServerMetrics {
  readonly registry = new Registry();

  constructor(private readonly s: MetricsSources) {
    const register = [this.registry];
    this.registry.setDefaultLabels({ gateway: s.gateway });
    collectDefaultMetrics({ register: this.registry });
    const latest = () => s.collector.latest();
    const local = () => s.collector.localReport();

    const commands = new Histogram({ name: 'mud_command_duration_seconds', help: 'Players\' commands by the dispatch mode of the player: from the line read to the last consequence done (the next prompt). _count is the commands run.', labelNames: ['mode'], buckets: LATENCY_BUCKETS, registers: register });
    new Counter({
      name: 'mud_refusals_total', help: 'Work refused by a limit before it cost the server, by limit.', labelNames: ['limit'], registers: register,
      collect() {
        for (const limit of REFUSAL_LIMITS) mirror(this, { limit }, s.refusals.get(limit));
      },
    });
    s.engine.onCommand = (player, ran, micros) => {
      if (ran) commands.observe({ mode: modeOf(s.engine.modes, player) }, micros / 1e6);
      else s.refusals.refused('switch-busy');
    };

    new Gauge({ name: 'mud_players', help: 'Players logged in on this gateway.', registers: register, collect() { this.set(s.players()); } });
    new Gauge({
      name: 'mud_sockets', help: 'Open player connections by protocol, logged in or not.', labelNames: ['protocol'], registers: register,
      collect() {
        for (const protocol of ['telnet', 'websocket'] as const) this.set({ protocol }, s.sockets.get(protocol));
      },
    });
    new Counter({ name: 'mud_lines_delivered_total', help: 'Lines handed to this gateway\'s players.', registers: register, collect() { mirror(this, {}, s.linesDelivered()); } });
    new Gauge({ name: 'mud_mode_epoch', help: 'The mode table\'s epoch: it counts live switches.', registers: register, collect() { this.set(s.engine.epoch); } });

    // Threads: the gateway's own and every node's, as the status's last sample saw them.
    new Gauge({
      name: 'mud_event_loop_utilization', help: 'Event-loop utilisation (0..1) over the status\'s last window, by thread: gateway or a node id.', labelNames: ['thread'], registers: register,
      collect() {
        this.reset();
        for (const n of latest().nodes) this.set({ thread: n.id }, n.elu);
      },
    });
    new Gauge({
      name: 'mud_turn_duration_seconds', help: 'Turn latency quantiles over the status\'s last window, by thread.', labelNames: ['thread', 'quantile'], registers: register,
      collect() {
        this.reset();
        for (const n of latest().nodes) {
          this.set({ thread: n.id, quantile: '0.5' }, n.p50Ms / 1000);
          this.set({ thread: n.id, quantile: '0.99' }, n.p99Ms / 1000);
        }
      },
    });
    new Counter({
      name: 'mud_turns_total', help: 'Turns this gateway had run, by where they ran: gateway (in-process) or a node id.', labelNames: ['node'], registers: register,
      collect() {
        for (const [node, turns] of s.meter.totals.turns) mirror(this, { node }, turns);
      },
    });
    new Gauge({
      name: 'mud_mailbox_depth', help: 'Turns waiting, by thread: the gateway\'s held commands, each node\'s actor mailboxes.', labelNames: ['thread'], registers: register,
      collect() {
        this.reset();
        for (const n of latest().nodes) this.set({ thread: n.id }, n.mailbox);
      },
    });
    new Gauge({
      name: 'mud_node_objects', help: 'Objects active, by thread (the gateway\'s are in-process objects).', labelNames: ['thread'], registers: register,
      collect() {
        this.reset();
        for (const n of latest().nodes) this.set({ thread: n.id }, n.objects);
      },
    });
    new Gauge({
      name: 'mud_node_resident_memory_bytes', help: 'Resident memory of each node as it last reported (worker nodes share the gateway\'s process).', labelNames: ['node'], registers: register,
      collect() {
        this.reset();
        for (const n of s.pool?.stats() ?? []) this.set({ node: n.id }, n.rssBytes);
      },
    });

    // The hottest objects: the status's top 10, no more (a bounded label set).
    const hot = (name: string, help: string, value: (h: { turnsPerSec: number; mailbox: number; conflictsPerSec: number }) => number) => new Gauge({
      name, help, labelNames: ['ref', 'mode'], registers: register,
      collect() {
        this.reset();
        for (const h of local()?.hot ?? []) this.set({ ref: h.ref, mode: h.mode }, value(h));
      },
    });
    hot('mud_hot_object_mailbox', 'Turns queued for each of the 10 hottest objects.', (h) => h.mailbox);
    hot('mud_hot_object_turns_per_second', 'Turns per second of each of the 10 hottest objects.', (h) => h.turnsPerSec);
    hot('mud_hot_object_cas_conflicts_per_second', 'CAS conflicts per second of each of the 10 hottest objects (function mode).', (h) => h.conflictsPerSec);

    // The store.
    new Counter({ name: 'mud_cas_conflicts_total', help: 'Function-mode turns re-run because another won the compare-and-swap on their record.', registers: register, collect() { mirror(this, {}, s.meter.totals.conflicts); } });
    new Counter({
      name: 'mud_store_operations_total', help: 'Reads and writes of this gateway\'s store (with --store file, nodes\' too: the gateway serves them).', labelNames: ['store', 'op'], registers: register,
      collect() {
        const st = s.store.stats();
        mirror(this, { store: s.store.name, op: 'read' }, st.reads);
        mirror(this, { store: s.store.name, op: 'write' }, st.writes);
      },
    });
    new Counter({ name: 'mud_store_cas_conflicts_total', help: 'Compare-and-swap writes this gateway\'s store refused.', labelNames: ['store'], registers: register, collect() { mirror(this, { store: s.store.name }, s.store.stats().casConflicts); } });
    new Counter({ name: 'mud_store_commits_total', help: 'Group commits (journal append + fsync) of the file store; KV writes for NATS.', labelNames: ['store'], registers: register, collect() { mirror(this, { store: s.store.name }, s.store.stats().commits); } });
    const writes = new Histogram({ name: 'mud_store_write_duration_seconds', help: 'Writes of this gateway\'s store, from the call until durable.', labelNames: ['store'], buckets: WRITE_BUCKETS, registers: register });
    s.store.onWriteTimed = (seconds) => writes.observe({ store: s.store.name }, seconds);

    // Timers.
    new Gauge({ name: 'mud_timers_pending', help: 'Durable timers waiting to fire on this gateway.', registers: register, collect() { this.set(local()?.timers.pending ?? 0); } });
    new Gauge({ name: 'mud_timers_fired_per_second', help: 'Timers fired per second over the status\'s last window.', registers: register, collect() { this.set(local()?.timers.firedPerSec ?? 0); } });
    new Gauge({
      name: 'mud_timer_lag_seconds', help: 'Fire time minus due time of the timers fired in the status\'s last window (quantile 1 = the latest).', labelNames: ['quantile'], registers: register,
      collect() {
        const t = local()?.timers;
        for (const [quantile, key] of QUANTILES) this.set({ quantile }, (t?.[key] ?? 0) / 1000);
      },
    });

    // Builder scripts, by the thread that ran them.
    const scripts = (): Array<[string, ScriptCallCounts]> => [['gateway', SCRIPT_CALLS], ...(s.pool?.stats() ?? []).filter((n) => n.scripts).map((n): [string, ScriptCallCounts] => [n.id, n.scripts!])];
    new Counter({
      name: 'mud_script_calls_total', help: 'Builder-script hook calls by thread and outcome (failed: a throw, a budget or memory limit, a paused script).', labelNames: ['thread', 'outcome'], registers: register,
      collect() {
        for (const [thread, c] of scripts()) {
          mirror(this, { thread, outcome: 'ok' }, c.calls - c.failures);
          mirror(this, { thread, outcome: 'failed' }, c.failures);
        }
      },
    });
    new Counter({
      name: 'mud_script_call_seconds_total', help: 'Time turns waited on builder-script calls, by thread: their cost.', labelNames: ['thread'], registers: register,
      collect() {
        for (const [thread, c] of scripts()) mirror(this, { thread }, c.micros / 1e6);
      },
    });

    // The monitor's answer, as one series.
    new Gauge({
      name: 'mud_bottleneck', help: 'What limits the server now (the monitor\'s bottleneck line): one series, its severity 0..1 (>= 0.8: the limit now).', labelNames: ['kind', 'where'], registers: register,
      collect() {
        this.reset();
        const b = latest().bottleneck;
        this.set({ kind: b.kind, where: b.where }, b.severity);
      },
    });
  }

  /** The exposition: text format, and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  close(): void {
    this.s.engine.onCommand = undefined;
    this.s.store.onWriteTimed = undefined;
    this.registry.clear();
  }
}

/** Sets a counter to a running total kept elsewhere (a total that went back, a restarted node, starts the counter again). */
function mirror<T extends string>(counter: Counter<T>, labels: Partial<Record<T, string>>, total: number): void {
  if (Object.keys(labels).length === 0) counter.reset();
  else counter.remove(labels);
  counter.inc(labels, Math.max(0, total));
}
