import { setFlagsFromString } from 'node:v8';

/** How far past what the last full collection left live V8 lets a heap grow before it collects
 *  again, in percent, for `mud serve` and `mud node`. V8's own factor rises up to 4x on a fast
 *  collector: under the shipped hot room the gateway's old space grew to ~100 MiB over ~40 MiB
 *  live, most of the server's resident size. 20 kept it near 35 MiB but cost about a fifth more
 *  CPU per command; 50 costs none that shows and keeps most of the gain (docs/BENCHMARKS.md,
 *  "Memory of `mud serve`"). */
export const HEAP_GROWING_PERCENT = 50;

const FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

/** Sets V8's heap growing factor for every isolate of the process (the gateway's, its script and node
 *  threads'), read at each full collection; called once the command has started (its world loaded).
 *  An operator's own on node's command line stands (`node --heap-growing-percent=N dist/bin/mud.js
 *  serve`; 0 is V8's own; NODE_OPTIONS takes no V8 flags). Returns the percent in force, or undefined
 *  where the operator's stands. */
export function limitHeapGrowth(flags: readonly string[] = process.execArgv): number | undefined {
  if (flags.some((f) => FLAG.test(f))) return undefined;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
