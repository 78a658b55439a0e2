import type { InputProblem } from './connection.js';

/** Refused lines (too long, bad UTF-8) within STRIKE_WINDOW_MS before the connection is dropped. */
const MAX_BAD_LINES = 3;
/** Telnet protocol errors within STRIKE_WINDOW_MS before the connection is dropped. */
const MAX_GARBAGE = 10;
const STRIKE_WINDOW_MS = 60_000;

/** Strikes against one connection's input: a few bad lines, or many protocol
 *  errors, in a minute and it is dropped (the sender pays, not the others). */
export class InputStrikes {
  private badLines = 0;
  private garbage = 0;
  private since = 0;

  /** Counts a problem; says why the connection must go once it is over the limit.
   *  A flood (over the input budget for too long) needs no second strike. */
  count(p: InputProblem, now = Date.now()): string | undefined {
    if (p === 'flood') return 'input far beyond its budget';
    if (now - this.since > STRIKE_WINDOW_MS) {
      this.badLines = 0;
      this.garbage = 0;
      this.since = now;
    }
    const over = p === 'garbage' ? ++this.garbage >= MAX_GARBAGE : ++this.badLines >= MAX_BAD_LINES;
    if (!over) return undefined;
    return p === 'garbage' ? 'telnet protocol errors' : p === 'too-long' ? 'overlong lines' : 'invalid UTF-8';
  }
}
