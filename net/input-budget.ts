import { RateLimit } from './rate-limit.js';

/** How fast one connection may send, whatever it sends. */
export interface InputLimits {
  bytesPerSecond: number;
  linesPerSecond: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { bytesPerSecond: 64 * 1024, linesPerSecond: 50 };

/** One connection's input allowance: bytes and lines per second, with a burst
 *  of a few seconds' worth. Over it, the connection stops reading its socket
 *  until the debt is paid: the flooder's own TCP window fills and its sends
 *  block, while the server spends nothing on it and queues nothing for it. */
export class InputBudget {
  private readonly bytes: RateLimit;
  private readonly lines: RateLimit;
  private lineDebtMs = 0;

  constructor(limits: InputLimits) {
    this.bytes = new RateLimit(limits.bytesPerSecond, limits.bytesPerSecond * 4);
    this.lines = new RateLimit(limits.linesPerSecond, limits.linesPerSecond * 2);
  }

  line(): void {
    this.lineDebtMs = this.lines.spend(1);
  }

  /** After a chunk of `bytes` (and its lines): how long to stop reading, in ms. */
  chunk(bytes: number): number {
    const wait = Math.max(this.bytes.spend(bytes), this.lineDebtMs);
    this.lineDebtMs = 0;
    return wait;
  }
}
