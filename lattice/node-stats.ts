import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Histogram } from '../support/histogram.js';
import type { ScriptCallCounts } from '../world/scripts/script-meter.js';

/** What a node reports about itself: counters since it started (the gateway
 *  turns them into rates), and a window's latency quantiles and loop usage. */
export interface NodeStats {
  id: string;
  /** When the node took this report (ms since the epoch): rates are computed between reports. */
  time: number;
  turns: number;
  writes: number;
  conflicts: number;
  activations: number;
  mailboxDepth: number;
  /** Event-loop utilisation (0..1) since the previous report. */
  elu: number;
  p50us: number;
  p99us: number;
  rssBytes: number;
  /** Builder-script calls run on this node since it started (world/scripts/script-meter.ts); absent from older nodes. */
  scripts?: ScriptCallCounts;
}

/** Status windows are a second: a window closes at most this often, whoever asks. */
const MIN_WINDOW_MS = 500;

/** Samples a thread's event-loop utilisation and its turn latencies, cheaply. */
export class NodeMeter {
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly hist = new Histogram();
  private closed: { at: number; out: { elu: number; p50us: number; p99us: number } } | undefined;
  turns = 0;
  conflicts = 0;

  turn(micros: number): void {
    this.turns += 1;
    this.hist.record(micros);
  }

  /** ELU and latency quantiles since the previous window. Several gateways ask every node each second at
   *  about the same moment: the second to ask, a few ms later, would get a window of those few ms, most of
   *  them spent answering the first (ELU near 100 %). So a window is at least MIN_WINDOW_MS long, and who
   *  asks within it gets the last one closed. */
  window(): { elu: number; p50us: number; p99us: number } {
    const at = performance.now();
    if (this.closed && at - this.closed.at < MIN_WINDOW_MS) return this.closed.out;
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, this.last);
    this.last = now;
    const out = { elu: delta.utilization, p50us: this.hist.quantile(0.5), p99us: this.hist.quantile(0.99) };
    this.hist.reset();
    this.closed = { at, out };
    return out;
  }
}
