import { readFileSync } from 'node:fs';

/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every mainstream kernel. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (ms) of the thread with Linux thread id `tid`, from its per-thread counters (10 ms steps); elsewhere
 *  (or `tid` 0), the whole process's. The script thread's budget is its CPU, not the clock (script-thread.ts). */
export function threadCpuMs(tid: number): number {
  if (tid > 0) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS_PER_SECOND);
    } catch {
      // Not Linux after all: the process's CPU below.
    }
  }
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}
