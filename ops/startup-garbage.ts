import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Loading a large world leaves its garbage (YAML parse trees, the reader's
// drafts with a file:line:column for every reference) on the heap: 1.8 GB at
// 1,000,000 objects for 0.3 GB of world. V8 collects it only when it next needs
// room, and an idle server's memory reducer gives back part of it a minute or
// two later (677 MB resident against 491 MB after full collections; figures in
// docs/BENCHMARKS.md, "Issue 15: memory"). So after a large load the server
// collects it at once, before it serves anyone, and the pages go back to the OS.

/** Worlds smaller than this leave too little garbage to be worth a pause. */
const LARGE_WORLD_OBJECTS = 50_000;
const COLLECTIONS = 2;

let fullGc: (() => void) | undefined;

/** Full collections after loading a world of `objects` objects, if it is large. */
export function releaseStartupGarbage(objects: number): boolean {
  if (objects < LARGE_WORLD_OBJECTS) return false;
  fullGc ??= collector();
  for (let i = 0; i < COLLECTIONS; i++) fullGc();
  return true;
}

/** V8's own full collection: the one node --expose-gc offers, taken without
 *  the flag on the command line (it applies to contexts made after it is set). */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
