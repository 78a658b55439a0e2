import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The machine's CPU over the last sampling window, as fractions of all its cores. When the gateway,
 *  the nodes and the bots share two cores, every thread may look half idle while all of them wait
 *  for a core: only the host's figure says so. */
export interface HostRow {
  cores: number;
  /** Share of all cores' time spent running anything (user, nice, system, irq, softirq, steal). */
  busy: number;
  /** Share taken by the hypervisor for other guests (Linux `steal`): capacity this machine does not have. */
  steal: number;
}

interface CpuTimes {
  total: number;
  idle: number;
  steal: number;
}

/** The `cpu` line of /proc/stat (jiffies: user nice system idle iowait irq softirq steal ...). */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 4 || f.some((n) => !Number.isFinite(n))) return undefined;
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

/** Where /proc/stat is missing (not Linux): the per-core times Node reports, without steal. */
function osTimes(): CpuTimes {
  let total = 0;
  let idle = 0;
  for (const c of cpus()) {
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
    idle += c.times.idle;
  }
  return { total, idle, steal: 0 };
}

function readTimes(): CpuTimes {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8')) ?? osTimes();
  } catch {
    return osTimes();
  }
}

/** Samples the host's CPU: each `take()` covers the time since the previous one. */
export class HostCpu {
  private last: CpuTimes;

  constructor(private readonly read: () => CpuTimes = readTimes, private readonly cores = Math.max(1, cpus().length)) {
    this.last = read();
  }

  take(): HostRow {
    const now = this.read();
    const total = now.total - this.last.total;
    const row = total > 0
      ? { cores: this.cores, busy: clamp(1 - (now.idle - this.last.idle) / total), steal: clamp((now.steal - this.last.steal) / total) }
      : { cores: this.cores, busy: 0, steal: 0 };
    this.last = now;
    return row;
  }
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}
