import { loadavg } from 'node:os';

// What every benchmark scenario shares: the options it runs with, the cell it
// reports (one scenario x one mode), and the targets from issue 6 it is judged
// against. Targets are reported, never asserted: a shortfall is a finding.

/** `function-unmerged`: function mode with `mud serve --no-merge`, beside `function` where a scenario measures what merged commits buy. */
export const BENCH_MODES = ['in-process', 'actor', 'function', 'actor-sharded', 'function-unmerged'] as const;
export type BenchMode = (typeof BENCH_MODES)[number];

export interface BenchOptions {
  /** Seconds of measurement per cell (set-up and tear-down come on top). */
  duration: number;
  /** Tiny sizes for the smoke run in `npm test`. */
  smoke: boolean;
  /** Overrides a scenario's main size (players, objects, turns in flight). */
  size?: number;
  /** Embedded nodes where the scenario does not fix them. */
  nodes?: number;
  /** Writes a V8 CPU profile of each server process into this directory. */
  profileDir?: string;
  /** Writes the gateway thread's allocation profile of each shipped cell's window here (bench/alloc-meter.ts). */
  allocDir?: string;
  /** Which round of `--rounds` this is (bench/rounds.ts): cells compare with the cells of their own round only. */
  round?: number;
  /** One line of progress (stderr), so a long run shows where it is. */
  progress(line: string): void;
}

/** `>=` or `<=` a value; `met` is filled in once the figure is known. */
export interface Target {
  metric: string;
  op: '>=' | '<=' | '==';
  value: number;
  /** How the issue words it, e.g. ">= 2,000,000 turns/s". */
  label: string;
  met?: boolean;
}

export interface CellResult {
  scenario: string;
  mode: BenchMode;
  /** Figures by name: numbers only, so a script can compare runs. */
  metrics: Record<string, number>;
  targets: Target[];
  /** What the figures were measured with (sizes, nodes, store), for the reader. */
  setup: Record<string, string | number | boolean>;
  /** Why a cell has no figures, when it failed. */
  error?: string;
  seconds: number;
}

export interface Scenario {
  name: string;
  /** Modes this scenario runs in, in table order. */
  modes: readonly BenchMode[];
  /**
   * The modes `--smoke` runs, when not all of them: for scenarios whose harness is the same code in
   * every mode (the mode only picks how the server is started, which `micro` and other scenarios smoke
   * in every mode). Every mode is still smoked by some scenario, and a scenario that compares two cells
   * (shipped / scriptless, scripted / bare) smokes both in the same mode; the full bench runs `modes`.
   */
  smokeModes?: readonly BenchMode[];
  /** One-line description for the table and the docs. */
  about: string;
  run(mode: BenchMode, opts: BenchOptions): Promise<Omit<CellResult, 'scenario' | 'mode' | 'seconds'>>;
}

/** Judges each target against the metrics (a missing metric is not met). */
export function judge(targets: Target[], metrics: Record<string, number>): Target[] {
  return targets.map((t) => {
    const v = metrics[t.metric];
    const met = Number.isFinite(v) && (t.op === '>=' ? v >= t.value : t.op === '<=' ? v <= t.value : v === t.value);
    return { ...t, met };
  });
}

/** The 1-minute load average when a cell ran: other work on the machine skews every figure. */
export function loadAverage(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Rounds for the JSON file: enough digits to compare, no float noise. */
export function tidy(metrics: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics)) {
    out[k] = !Number.isFinite(v) ? -1 : Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000;
  }
  return out;
}
