import { RateLimit } from './rate-limit.js';

/** How fast one connection may send, whatever it sends. */
export interface InputLimits {
  bytesPerSecond: number;
  linesPerSecond: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { bytesPerSecond: 64 * 1024, linesPerSecond: 50 };

/** Over budget this long (owing this much, or throttled without a break for
 *  this long), a connection is dropped: no person types or pastes that much;
 *  a flooder that would otherwise sit paused forever, holding its socket and
 *  coming back at every resume, is let go. */
export const MAX_INPUT_DEBT_MS = 30_000;

/** One connection's input allowance: bytes and units of work (lines, telnet
 *  commands, WebSocket control frames) per second, with a burst of a few
 *  seconds' worth. Over it, the connection stops reading its socket until the
 *  debt is paid: the flooder's own TCP window fills and its sends block, while
 *  the server spends nothing on it and queues nothing for it. Over it for
 *  MAX_INPUT_DEBT_MS, the connection is dropped (`exhausted`). */
export class InputBudget {
  private readonly bytes: RateLimit;
  private readonly lines: RateLimit;
  private lineDebtMs = 0;
  /** When the connection last went over budget without coming back under since. */
  private overSince: number | undefined;
  private lastWait = 0;

  constructor(limits: InputLimits) {
    this.bytes = new RateLimit(limits.bytesPerSecond, limits.bytesPerSecond * 4);
    this.lines = new RateLimit(limits.linesPerSecond, limits.linesPerSecond * 2);
  }

  /** One unit of work: a line, a telnet command or subnegotiation, a WebSocket
   *  ping or pong. Returns the debt in ms (0: within the budget). */
  line(): number {
    this.lineDebtMs = this.lines.spend(1);
    return this.lineDebtMs;
  }

  /** After a chunk of `bytes` (and its lines): how long to stop reading, in ms. */
  chunk(bytes: number, now = performance.now()): number {
    const wait = Math.max(this.bytes.spend(bytes), this.lineDebtMs);
    this.lineDebtMs = 0;
    this.lastWait = wait;
    if (wait === 0) this.overSince = undefined;
    else this.overSince ??= now;
    return wait;
  }

  /** True once the connection owes more than MAX_INPUT_DEBT_MS, or has been
   *  over budget without a break for that long: time to drop it. */
  exhausted(now = performance.now()): boolean {
    if (this.overSince === undefined) return false;
    return this.lastWait > MAX_INPUT_DEBT_MS || now + this.lastWait - this.overSince > MAX_INPUT_DEBT_MS;
  }
}
