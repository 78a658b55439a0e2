// A counter of event-loop iterations, advanced only while someone asks: one
// setImmediate per iteration in which it was read, none on an idle loop.

let iteration = 0;
let armed = false;

function advance(): void {
  armed = false;
  iteration += 1;
}

/** The current iteration's number: equal for two calls in the same iteration. */
export function loopIteration(): number {
  if (!armed) {
    armed = true;
    setImmediate(advance);
  }
  return iteration;
}
