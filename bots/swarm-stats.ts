import { performance } from 'node:perf_hooks';
import { Histogram } from '../support/histogram.js';

/** What a swarm counted, as plain numbers (`mud bots --json`, the party runner, benchmarks). */
export interface SwarmResult {
  bots: number;
  /** Bots that logged in. */
  connected: number;
  /** Bots that reached the target room. */
  placed: number;
  /** Milliseconds from the first connection to the last bot reaching the room; 0 if not all did. */
  arrivalMs: number;
  /** Commands sent while acting (login and walking not included). */
  sent: number;
  /** Commands the server ran and answered (latency and throughput count only these). */
  answered: number;
  /** Commands the server refused (too fast, too many waiting, a switch in the way). */
  refused: number;
  /** Ticks that found the bot still waiting for its last answer (the server was slower than the rate). */
  delayed: number;
  errors: number;
  firstErrors: string[];
  latencyUs: { p50: number; p99: number; max: number };
  /** Answers per second, one entry per whole second of the run. */
  perSecond: number[];
  /** Answers within the run divided by its length: 0 for a run with no answers. */
  answersPerSec: number;
  /** The run: from the first bot acting to the stop (bots act while the others still arrive). */
  runMs: number;
}

const ERRORS_KEPT = 5;

/** The counters every bot of a swarm adds to. Latency is send-to-answer. The
 *  run starts when the first bot starts acting and ends at the stop; answers
 *  that land after the stop (commands finishing while the bots quit) count in
 *  `answered` but not in the run's rate. */
export class SwarmStats {
  sent = 0;
  answered = 0;
  refused = 0;
  delayed = 0;
  errors = 0;
  connected = 0;
  placed = 0;
  readonly firstErrors: string[] = [];
  readonly latency = new Histogram();
  private readonly buckets: number[] = [];
  private readonly began: number;
  private arrived = 0;
  private runStart = 0;
  private runEnd = 0;
  private runAnswered = 0;

  /** `now` in milliseconds: the tests pin figures on a known clock. */
  constructor(private readonly now: () => number = () => performance.now()) {
    this.began = now();
  }

  /** A bot starts acting; the first one starts the run. */
  startRun(): void {
    if (!this.runStart) this.runStart = this.now();
  }

  /** Every bot reached the room. */
  allArrived(): void {
    this.arrived = this.now();
  }

  endRun(): void {
    if (this.runStart && !this.runEnd) this.runEnd = this.now();
  }

  answer(sentAt: number): void {
    const now = this.now();
    this.latency.record((now - sentAt) * 1000);
    this.answered += 1;
    if (!this.runStart || this.runEnd) return;
    this.runAnswered += 1;
    const second = Math.floor((now - this.runStart) / 1000);
    while (this.buckets.length <= second) this.buckets.push(0);
    this.buckets[second] += 1;
  }

  refuse(what: string): void {
    this.refused += 1;
    if (this.firstErrors.length < ERRORS_KEPT) this.firstErrors.push(`refused: ${what}`);
  }

  error(what: string): void {
    this.errors += 1;
    if (this.firstErrors.length < ERRORS_KEPT) this.firstErrors.push(what);
  }

  result(bots: number): SwarmResult {
    const runMs = this.runStart ? (this.runEnd || this.now()) - this.runStart : 0;
    const whole = Math.floor(runMs / 1000);
    return {
      bots, connected: this.connected, placed: this.placed, arrivalMs: this.arrived ? Math.round(this.arrived - this.began) : 0,
      sent: this.sent, answered: this.answered, refused: this.refused, delayed: this.delayed, errors: this.errors, firstErrors: [...this.firstErrors],
      latencyUs: { p50: this.latency.quantile(0.5), p99: this.latency.quantile(0.99), max: this.latency.max },
      perSecond: this.buckets.slice(0, whole),
      answersPerSec: runMs > 0 ? Math.round((this.runAnswered / runMs) * 10_000) / 10 : 0, runMs: Math.round(runMs),
    };
  }
}
