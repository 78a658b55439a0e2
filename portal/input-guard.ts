import type { Ref } from '../world/core/types.js';
import type { Connection, InputProblem } from './connection.js';
import type { SessionHost } from './session-host.js';
import { RateLimit } from './rate-limit.js';
import { InputStrikes } from './input-strikes.js';

/** Stands in a session's queue for a line refused by the rate limit (no typed line can hold a NUL). */
export const REFUSED = '\u0000refused';
/** Lines waiting behind a running command; more than this and the player is asked to slow down. */
const MAX_QUEUED_LINES = 20;

/** One session's limits on what its peer sends: lines beyond the queue or the rate are refused
 *  and counted, bad lines and protocol garbage are struck, and a few strikes in a minute drop
 *  the connection. The sender pays; the others do not notice. */
export class InputGuard {
  private readonly rate: RateLimit;
  private lastWarned = 0;
  private readonly strikes = new InputStrikes();

  constructor(private readonly conn: Connection, private readonly host: SessionHost) {
    this.rate = new RateLimit(host.limits.commandsPerSecond, host.limits.commandBurst);
  }

  /** A typed line, `queued` lines already waiting: the line to queue, REFUSED when it is over the
   *  rate (`limited`: a player in play), or undefined when the queue is full (it is dropped). */
  admit(line: string, queued: number, limited: boolean): string | undefined {
    if (queued >= MAX_QUEUED_LINES) {
      this.host.refusals?.refused('command-queue');
      this.warn('Too many commands are waiting; that one was ignored.');
      return undefined;
    }
    // A line over the rate keeps its place in line and is answered, in order,
    // with a warning and a prompt: a client that counts prompts never hangs.
    const refused = limited && !this.rate.take();
    if (refused) this.host.refusals?.refused('command-rate');
    return refused ? REFUSED : line;
  }

  /** A REFUSED line's turn: the warning (at most one a second) and the prompt back. */
  answerRefused(prompt: string): void {
    this.warn('You are sending commands too fast; that one was ignored. Slow down a little.');
    this.conn.prompt(prompt);
  }

  /** A problem with the input, counted: 'dropped' when it was a strike too many (the connection is
   *  closed), 'answered' when the player was told their line was ignored, 'silent' for garbage. */
  problem(p: InputProblem, player: Ref | undefined): 'dropped' | 'answered' | 'silent' {
    this.host.refusals?.refused(`input-${p}`);
    if (this.strike(p, player)) return 'dropped';
    if (p === 'garbage') return 'silent'; // the client's bug, not the player's line: nothing to answer
    this.conn.write(p === 'too-long' ? 'That line was too long (over 4 KiB) and was ignored.' : 'That line was not valid UTF-8 and was ignored.');
    return 'answered';
  }

  private warn(text: string): void {
    const now = Date.now();
    if (now - this.lastWarned < 1000) return;
    this.lastWarned = now;
    this.conn.write(text);
  }

  /** Counts a problem; a few in a minute drop the connection (true when dropped). */
  private strike(p: InputProblem, player: Ref | undefined): boolean {
    const why = this.strikes.count(p);
    if (!why) return false;
    this.host.log.warn('connection dropped', { from: this.conn.remote, player, why });
    this.conn.write(p === 'flood' ? 'You are sending too much, too fast; goodbye.' : `Too many ${why}; goodbye.`);
    this.conn.close();
    return true;
  }
}
