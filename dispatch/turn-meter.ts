import type { Ref } from '../world/core/types.js';
import { Histogram } from '../support/histogram.js';
import { HotObjects } from './hot-objects.js';

export interface NodeTurns {
  node: string;
  turns: number;
  p50us: number;
  p99us: number;
}

/** Counts turns where they complete (per node) and per object, cheaply: a
 *  counter and a histogram per node, a map of the objects touched this window. */
export class TurnMeter {
  private readonly nodes = new Map<string, { turns: number; hist: Histogram }>();
  readonly hot = new HotObjects();
  private conflicts = 0;
  /** Turns per node and CAS conflicts since start, never reset (portal/metrics.ts exports them as counters). */
  readonly totals = { turns: new Map<string, number>(), conflicts: 0 };

  turn(node: string, ref: Ref, micros: number): void {
    let n = this.nodes.get(node);
    if (!n) this.nodes.set(node, (n = { turns: 0, hist: new Histogram() }));
    n.turns += 1;
    n.hist.record(micros);
    this.totals.turns.set(node, (this.totals.turns.get(node) ?? 0) + 1);
    this.hot.touch(ref);
  }

  conflict(ref: Ref, count = 1): void {
    this.conflicts += count;
    this.totals.conflicts += count;
    this.hot.conflict(ref, count);
  }

  /** The window since the last take, then a fresh one. */
  take(): { nodes: NodeTurns[]; conflicts: number } {
    const nodes = [...this.nodes].map(([node, n]) => ({
      node, turns: n.turns, p50us: n.hist.quantile(0.5), p99us: n.hist.quantile(0.99),
    }));
    for (const n of this.nodes.values()) {
      n.turns = 0;
      n.hist.reset();
    }
    const conflicts = this.conflicts;
    this.conflicts = 0;
    return { nodes, conflicts };
  }
}
