// SIGSTOP that has taken hold. kill() only queues the signal: each of the process's threads stops when the
// kernel next runs it, and on a loaded machine a thread already running may serve a request a few
// milliseconds after the kill (a nats-server answered a read 7 ms after its SIGSTOP: node-store-wait).
// A test that means "nothing is answered from now on" waits until every thread shows as stopped.
import { readdirSync, readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

const STOP_WAIT_MS = 5_000;

/** Each thread's state letter (ps's STAT: T = stopped), read from /proc. */
function threadStates(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  });
}

/** Sends SIGSTOP and resolves once every thread of `child` is stopped; fails after 5 s. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || !child.kill('SIGSTOP')) throw new Error(`cannot SIGSTOP process ${pid ?? '(not started)'}`);
  const deadline = Date.now() + STOP_WAIT_MS;
  for (;;) {
    const states = threadStates(pid);
    if (states.every((s) => s === 'T' || s === 't')) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} not stopped ${STOP_WAIT_MS} ms after SIGSTOP (thread states ${states.join('')})`);
    await new Promise((r) => setImmediate(r));
  }
}
