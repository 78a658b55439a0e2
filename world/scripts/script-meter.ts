import type { ScriptOutcome } from '../core/types.js';

/** Builder-script calls made on this thread since it started, and what they cost the
 *  turn thread (wall time from the call to its answer: the turn waits that long).
 *  Per thread, like the script thread itself: a node reports its own (lattice/node-stats.ts),
 *  the gateway reads its own for in-process turns (portal/metrics.ts). */
export interface ScriptCallCounts {
  calls: number;
  /** Calls that ended in an error: a throw, a budget or memory limit, a paused script. */
  failures: number;
  micros: number;
}

export const SCRIPT_CALLS: ScriptCallCounts = { calls: 0, failures: 0, micros: 0 };

/** Runs one hook call, counted. */
export function meteredCall(call: () => ScriptOutcome): ScriptOutcome {
  const started = performance.now();
  const outcome = call();
  SCRIPT_CALLS.calls += 1;
  SCRIPT_CALLS.micros += (performance.now() - started) * 1000;
  if (!outcome.ok) SCRIPT_CALLS.failures += 1;
  return outcome;
}

/** Runs one hook call that answers later (script-sandbox.ts, callLater), counted; its time is from the call to the answer. */
export function meteredLater(call: () => Promise<ScriptOutcome>): Promise<ScriptOutcome> {
  const started = performance.now();
  return call().then((outcome) => {
    SCRIPT_CALLS.calls += 1;
    SCRIPT_CALLS.micros += (performance.now() - started) * 1000;
    if (!outcome.ok) SCRIPT_CALLS.failures += 1;
    return outcome;
  });
}
