// The prompt sent again after lines reach a player who is not running a
// command. One set and one microtask per tick for every session, not a closure
// per line: an emote to a 1,000-guest room marks 1,000 sessions and schedules once.

/** What a session offers: whether it still wants the prompt when the tick's lines are out. */
export interface Reprompted {
  reprompt(): void;
}

const pending = new Set<Reprompted>();
let scheduled = false;

/** Marks the session; its `reprompt` runs once, after every line released in
 *  this turn and before the connections' end-of-tick flush, so the lines and
 *  their prompt leave in one write. */
export function promptAfterLines(session: Reprompted): void {
  pending.add(session);
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(flush);
}

function flush(): void {
  scheduled = false;
  for (const s of pending) s.reprompt();
  pending.clear();
}
