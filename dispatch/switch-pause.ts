import type { SwitchResult } from './switch-barrier.js';

/** Past this, a pause says what held it. */
const EXPLAIN_MS = 50;

/** A switch's pause for people: `players paused 1242 ms (1180 ms on 37 turns in
 *  flight), 530 turns held`: the part spent letting turns already running finish. Under a party the pause is mostly the wait for
 *  turns in flight (a plaza turn tells 1,000 players, and the barrier waits for it);
 *  saying so keeps a long pause from looking like the switch's own cost. */
export function describePause(r: Pick<SwitchResult, 'pausedMs' | 'held'> & Partial<SwitchResult>): string {
  const why = r.pausedMs >= EXPLAIN_MS && r.drainMs !== undefined && r.inFlight
    ? ` (${ms(r.drainMs)} ms on ${r.inFlight} turn${r.inFlight === 1 ? '' : 's'} in flight)`
    : '';
  return `players paused ${ms(r.pausedMs)} ms${why}, ${r.held} turns held`;
}

function ms(x: number): string {
  return x >= 100 ? Math.round(x).toString() : (Math.round(x * 10) / 10).toString();
}
