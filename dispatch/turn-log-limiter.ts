import type { Logger, LogLevel } from '../support/logger.js';

/** Lines a script (or an object without one) may log per window before the rest are only counted. */
export const TURN_LOG_LINES_PER_WINDOW = 10;
export const TURN_LOG_WINDOW_MS = 1_000;

/**
 * The log lines turns write (a builder script's error, its `ctx.log`), bounded per script: a hook
 * that fails on every call must not write a line per call (eight guests saying one word wrote ~340
 * error lines a second in round two of the attacks). The first lines of each window are logged as
 * they come; the rest are counted, and one line per script says how many were left out when the
 * window ends. Keys are scripts (shared by every object running one), so the map stays as small as
 * the world's list of scripts, and it is emptied every window.
 */
export class TurnLogLimiter {
  private counts = new Map<string, { logged: number; dropped: number; ref: string }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly perWindow = TURN_LOG_LINES_PER_WINDOW,
    private readonly windowMs = TURN_LOG_WINDOW_MS,
  ) {}

  /** Logs `text` for the object `ref` whose script is `script`, unless that script used its lines. */
  write(level: LogLevel, script: string, ref: string, text: string): void {
    let c = this.counts.get(script);
    if (!c) {
      c = { logged: 0, dropped: 0, ref };
      this.counts.set(script, c);
      this.timer ??= setTimeout(() => this.endWindow(), this.windowMs).unref();
    }
    if (c.logged < this.perWindow) {
      c.logged++;
      this.log[level]('turn', { ref, text });
    } else {
      c.dropped++;
      c.ref = ref;
    }
  }

  /** Says what each script had left out, and starts afresh. */
  private endWindow(): void {
    this.timer = undefined;
    const counts = this.counts;
    this.counts = new Map();
    for (const [script, c] of counts) {
      if (c.dropped > 0) {
        this.log.warn('turn log limited', { script, ref: c.ref, dropped: c.dropped, limit: `${this.perWindow} lines per ${this.windowMs} ms` });
      }
    }
  }

  /** Scripts that logged in the current window. */
  get scriptsInWindow(): number {
    return this.counts.size;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.counts.clear();
  }
}
