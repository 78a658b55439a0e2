import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Channel, Op, Slot, Status } from './script-channel.js';

// The hard CPU bound. A turn thread runs its builder scripts on a script thread
// of its own and waits for each call synchronously (Atomics.wait), so a call
// stays a plain function call for the turn. The interpreter's interrupt handler
// ends a runaway call at its budget wherever it polls; where it does not (one
// built-in over a large array, a backtracking RegExp), this side stops waiting
// at the budget plus half of it, ends the script thread and starts another: the
// scripts reload there on their next call (a spare is started the moment one is
// ended, so the next call rarely waits for QuickJS to load). Nothing a script does holds the turn
// thread longer than that (docs/ARCHITECTURE.md, "Builder scripts").

/** Past the budget, how long the interpreter gets to end the call itself before its thread is ended:
 *  a share of the budget, so a starved thread's own interrupt usually wins and no thread is ended for a plain loop. */
export function hardGraceMs(budgetMs: number): number {
  return Math.max(10, budgetMs / 2);
}
/** How long a new script thread may take to start (it loads QuickJS's WebAssembly). */
const START_TIMEOUT_MS = 30_000;
const STALLED_BUDGETS = 20;
/** A script thread unused this long is ended (its scripts reload on their next call), as idle actors are
 *  passivated: a node that runs no scripts (in-process mode) holds no script thread. */
export const SCRIPT_THREAD_IDLE_MS = 30_000;
/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every mainstream kernel. */
const CLOCK_TICKS_PER_SECOND = 100;

export type Answer = { status: Status; text: string };

class ScriptThread {
  private worker?: Worker;
  /** The next script thread, started in the background as soon as one is ended: only a turn thread that
   *  has ended one pays for a second thread (an idle server keeps one per turn thread, not two). */
  private spare?: { worker: Worker; channel: Channel };
  private channel = new Channel();
  /** Bumped each time the script thread is replaced: scripts compiled in an older one compile again. */
  generation = 0;
  /** How many times a script thread was ended: a call past its budget, or its memory nearly full (for tests and the bench). */
  kills = 0;
  private nextId = 1;
  private lastUsed = 0;
  private idleCheck?: NodeJS.Timeout;

  newId(): number {
    return this.nextId++;
  }

  /** One request, answered within `budgetMs` of the script thread's CPU (plus the grace), or `undefined` once the thread was ended for it. */
  request(op: Op, id: number, text: string, budgetMs: number, here: () => string = () => 'null'): Answer | undefined {
    this.start();
    this.lastUsed = performance.now();
    const channel = this.channel;
    if (!channel.send(Slot.REQUEST, text, op, id)) return { status: Status.LIMIT, text: 'script input too large' };
    const started = performance.now();
    let state = Slot.REQUEST;
    /** Waits until the answer or `ms` after the start, answering the thread's requests for ctx.here meanwhile. */
    const waitUntil = (ms: number): Slot => {
      for (;;) {
        const left = ms - (performance.now() - started);
        if (left <= 0 || state === Slot.DONE) return state;
        state = channel.waitWhile(state, left);
        if (state === Slot.NEED_HERE) {
          channel.send(Slot.HERE, here());
          state = Slot.HERE;
        }
      }
    };
    const done = (): Answer => {
      const answer = { status: channel.status, text: channel.text() };
      // WebAssembly memory never shrinks: the spare takes over with all of it free, the scripts reload there.
      if (channel.spent) this.end();
      return answer;
    };
    // Most calls end in microseconds: only a slow one reads the script thread's CPU, at half its budget.
    if (waitUntil(budgetMs / 2) === Slot.DONE) return done();
    const cpuAtHalf = this.cpuMs();
    if (waitUntil(budgetMs + hardGraceMs(budgetMs)) === Slot.DONE) return done();
    for (;;) {
      // The clock has run out. The thread is ended once it has had its budget of CPU since half-time,
      // so a call starved by a busy machine is not cut short for time it never got.
      // A thread that gets no CPU for 20 budgets on the clock is ended too: the machine is stalled, or the thread is.
      if (this.cpuMs() - cpuAtHalf >= budgetMs || performance.now() - started >= STALLED_BUDGETS * budgetMs) {
        this.end();
        return undefined;
      }
      if (waitUntil(performance.now() - started + Math.max(1, budgetMs / 10)) === Slot.DONE) return done();
    }
  }

  /** CPU time of the script thread (ms), from Linux's per-thread counters (10 ms steps); elsewhere the process's. */
  private cpuMs(): number {
    const tid = this.channel.tid;
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

  /** Takes the spare thread (started in the background when the last one was ended), or starts one. */
  private start(): void {
    if (this.worker) return;
    const { worker, channel } = this.spare ?? spawn();
    this.spare = undefined;
    worker.on('error', () => this.forget(worker));
    worker.on('exit', () => this.forget(worker));
    this.worker = worker;
    this.channel = channel;
    this.idleCheck ??= setInterval(() => this.passivateIfIdle(), SCRIPT_THREAD_IDLE_MS / 3).unref();
    if (!channel.waitReady(START_TIMEOUT_MS)) {
      this.end();
      throw new Error(`the script thread did not start within ${START_TIMEOUT_MS} ms`);
    }
  }

  /** Ends the script thread, wherever it is (terminate() stops it even inside WebAssembly). */
  private end(): void {
    const worker = this.worker;
    if (!worker) return;
    this.kills += 1;
    this.forget(worker);
    void worker.terminate();
    this.spare ??= spawn();
  }

  private passivateIfIdle(): void {
    const worker = this.worker;
    if (!worker || performance.now() - this.lastUsed < SCRIPT_THREAD_IDLE_MS) return;
    this.forget(worker);
    void worker.terminate();
  }

  private forget(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.generation += 1;
  }
}

/** The script thread of this turn thread (each Node worker running turns has its own). */
export const SCRIPT_THREAD = new ScriptThread();

function spawn(): { worker: Worker; channel: Channel } {
  const channel = new Channel();
  const worker = new Worker(workerFile(), { workerData: { sab: channel.sab } });
  worker.unref();
  return { worker, channel };
}

function workerFile(): string {
  const here = fileURLToPath(new URL('./script-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  return join(fileURLToPath(new URL('../../', import.meta.url)), 'dist', 'world', 'scripts', 'script-worker.js');
}
