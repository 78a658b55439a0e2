import { performance } from 'node:perf_hooks';
import { Histogram } from '../cluster/histogram.js';

/** What a swarm counted, as plain numbers (`mud bots --json`, the party runner, benchmarks). */
export interface SwarmResult {
  bots: number;
  /** Bots that logged in. */
  connected: number;
  /** Bots that reached the target room. */
  placed: number;
  /** Commands sent during the run (login and walking not included). */
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
  /** Answers per second, one entry per whole second of the run (after every bot was placed). */
  perSecond: number[];
  answersPerSec: number;
  runMs: number;
}

const ERRORS_KEPT = 5;

/** The counters every bot of a swarm adds to. Latency is send-to-prompt. */
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
  private runStart = 0;
  private runEnd = 0;
  private runAnswered = 0;

  startRun(): void {
    this.runStart = performance.now();
  }

  endRun(): void {
    this.runEnd = performance.now();
  }

  answer(sentAt: number): void {
    const now = performance.now();
    this.latency.record((now - sentAt) * 1000);
    this.answered += 1;
    if (this.runStart) {
      this.runAnswered += 1;
      const second = Math.floor((now - this.runStart) / 1000);
      while (this.buckets.length <= second) this.buckets.push(0);
      this.buckets[second] += 1;
    }
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
    const runMs = this.runStart ? (this.runEnd || performance.now()) - this.runStart : 0;
    const whole = Math.floor(runMs / 1000);
    const perSecond = this.buckets.slice(0, Math.max(1, whole));
    return {
      bots, connected: this.connected, placed: this.placed, sent: this.sent, answered: this.answered, refused: this.refused, delayed: this.delayed,
      errors: this.errors, firstErrors: [...this.firstErrors],
      latencyUs: { p50: this.latency.quantile(0.5), p99: this.latency.quantile(0.99), max: this.latency.max },
      perSecond, answersPerSec: runMs > 0 ? Math.round((this.runAnswered / runMs) * 10_000) / 10 : 0, runMs: Math.round(runMs),
    };
  }
}
