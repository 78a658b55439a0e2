// Output the player did not ask for (what others say and do in the room, channels,
// a prompt after them) leaves on a pulse, as MUDs have always sent it, rather than
// at the end of every event-loop iteration: a socket in a busy room then costs one
// write per pulse instead of one per iteration, and a write (a syscall, and a wake-up
// of the reader) is the largest part of a line's cost on the gateway. The answer to
// a player's own command is not delayed: it goes at the end of its iteration.

/** How long a line may wait for the pulse. Short next to a person's reaction,
 *  long next to an event-loop iteration under load. */
export const OUTPUT_PULSE_MS = 25;

/** What the pulse flushes. */
export interface Pulsed {
  pulse(): void;
}

const waiting = new Set<Pulsed>();
let timer: NodeJS.Timeout | undefined;

function beat(): void {
  timer = undefined;
  for (const c of waiting) c.pulse();
  waiting.clear();
}

/** The connection's queued output goes out on the next pulse (one timer for all of them). */
export function onNextPulse(c: Pulsed): void {
  waiting.add(c);
  if (timer) return;
  timer = setTimeout(beat, OUTPUT_PULSE_MS);
  timer.unref();
}
