import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Channel, Op, Slot, Status } from './script-channel.js';
import { threadCpuMs } from './thread-cpu.js';

// The hard CPU bound. A turn thread runs its builder scripts on a script thread
// of its own and waits for each call synchronously (Atomics.wait), so a call
// stays a plain function call for the turn. The interpreter's interrupt handler
// ends a runaway call at its budget wherever it polls; where it does not (one
// built-in over a large array, a backtracking RegExp), this side stops waiting
// at the budget plus half of it, ends the script thread and starts another: the
// scripts reload there on their next call (a spare is started the moment one is
// ended, so the next call rarely waits for QuickJS to load). Nothing a script does holds the turn
// thread longer than that (docs/architecture/script-thread.md).

/** Past the budget, how long the interpreter gets to end the call itself before its thread is ended:
 *  a share of the budget, so a starved thread's own interrupt usually wins and no thread is ended for a plain loop. */
export function hardGraceMs(budgetMs: number): number {
  return Math.max(10, budgetMs / 2);
}
/** How long a new script thread may take to start (it loads QuickJS's WebAssembly). */
const START_TIMEOUT_MS = 30_000;
const STALLED_BUDGETS = 20;
/** A script thread unused this long is ended (its scripts reload on their next call), as idle actors are
 *  passivated, unless it has answered hook calls: a node that only loaded the world's scripts (in-process
 *  mode) holds no script thread, while a thread that runs scripted objects' turns keeps its own. */
export const SCRIPT_THREAD_IDLE_MS = 30_000;

export type Answer = { status: Status; text: string };

/** One request as the channel carries it; `here` answers ctx.here if the hook reads it. */
export interface Request {
  op: Op;
  id: number;
  text: string;
  budgetMs: number;
  here?: () => string;
}

/** A piece of work of one or more requests in a row (a call, and its retry with the state whole),
 *  run later, while the turn thread goes on: nothing else uses the channel between its requests. */
export interface LaterJob {
  /** The next request, or undefined once the job is over. Built when it is sent, not when queued. */
  next(): Request | undefined;
  /** Its answer, or undefined once the thread was ended for it. */
  answered(answer: Answer | undefined): void;
}

/** The request on the channel now, and where its budget stands. */
interface InFlight {
  req: Request;
  job?: LaterJob;
  started: number;
  /** The script thread's CPU at half the budget (read only by a call that ran that long). */
  cpuAtHalf?: number;
  /** The channel's state as this side last saw it. */
  state: Slot;
  /** Someone waits for it on the event loop. */
  watched: boolean;
}

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
  /** How long an unused script thread is kept (tests shorten it). */
  idleMs = SCRIPT_THREAD_IDLE_MS;
  /** It has sent a hook call, not only loads: it runs scripted objects' turns, and keeps its script thread
   *  (docs/architecture/script-thread.md: a new one held the hook's object, and all who passed it, 150-1,700 ms). */
  private answersCalls = false;
  private idleCheck?: NodeJS.Timeout;
  private current?: InFlight;
  /** Jobs waiting for the channel, oldest first; only the head is ever sent. */
  private readonly jobs: LaterJob[] = [];
  /** The answer of the request `step` last ended (what a waiting `request` returns). */
  private settled: Answer | undefined;
  /** A starting script thread that calls answered later wait for on the event loop. */
  private waitingFor?: Channel;
  /** One they waited START_TIMEOUT_MS for in vain: no one waits for it again. */
  private late?: Channel;

  /** A script thread is starting, and calls answered later wait for it on the event loop (for tests). */
  get starting(): boolean {
    return this.waitingFor !== undefined;
  }

  newId(): number {
    return this.nextId++;
  }

  /** Scripts compiled through this thread so far (each load of a script takes an id): what checks and reloads cost. */
  get compiled(): number {
    return this.nextId - 1;
  }

  /** One request, answered within `budgetMs` of the script thread's CPU (plus the grace), or `undefined` once
   *  the thread was ended for it. Waits here: a job in flight is finished first (its requests stay together). */
  request(op: Op, id: number, text: string, budgetMs: number, here: () => string = () => 'null'): Answer | undefined {
    while (this.current) this.finish(this.current);
    const sent = this.send({ op, id, text, budgetMs, here });
    if (sent !== true) return sent;
    let answer: Answer | undefined;
    while (this.current) answer = this.finish(this.current);
    if (this.jobs.length > 0) queueMicrotask(() => this.pump());
    return answer;
  }

  /** Runs `job` once the channel is free, without waiting here: each answer comes back on this thread's event
   *  loop (Atomics.waitAsync), so the turn thread does other work while the script thread runs the hook. */
  later(job: LaterJob): void {
    this.jobs.push(job);
    if (!this.current) this.pump();
  }

  /** Starts the head job (a finished one gives way to the next) and watches what is in flight. */
  private pump(): void {
    while (!this.current && this.jobs.length > 0) {
      if (!this.up()) return; // pumped again once it is
      this.advance(this.jobs[0]);
    }
    if (this.current?.job && !this.current.watched) this.watch(this.current);
  }

  /** Whether a script thread is up for the head job. If not, one is started (the spare, if any) and the jobs are
   *  pumped again once it is up, or had START_TIMEOUT_MS (then `start` ends it and the call fails, as one waiting
   *  here would): loading QuickJS took 150-1,700 ms on two shared cores, every turn and socket of this thread held. */
  private up(): boolean {
    if (this.waitingFor) return false;
    this.spawnIfNone();
    const channel = this.channel;
    if (channel.ready || channel === this.late) return true;
    this.waitingFor = channel;
    void channel.readyLater(START_TIMEOUT_MS).then(() => {
      this.waitingFor = undefined;
      if (!channel.ready) this.late = channel;
      this.pump();
    });
    return false;
  }

  /** Sends the head job's next request, or drops it from the queue once it has none. */
  private advance(job: LaterJob): void {
    let req: Request | undefined;
    try {
      req = job.next();
    } catch {
      req = undefined;
    }
    if (!req) {
      this.jobs.shift();
      return;
    }
    const sent = this.send(req, job);
    if (sent !== true) job.answered(sent);
  }

  /** Puts a request on the channel (starting the thread if need be): true, or the answer it gets at once. */
  private send(req: Request, job?: LaterJob): true | Answer {
    try {
      this.start();
    } catch (err) {
      return { status: Status.LIMIT, text: (err as Error).message };
    }
    this.lastUsed = performance.now();
    if (req.op === Op.CALL) this.answersCalls = true;
    if (!this.channel.send(Slot.REQUEST, req.text, req.op, req.id)) return { status: Status.LIMIT, text: 'script input too large' };
    this.current = { req, job, started: performance.now(), state: Slot.REQUEST, watched: false };
    return true;
  }

  /** Waits here for the request in flight, to its answer or its end. */
  private finish(f: InFlight): Answer | undefined {
    for (let wait = this.step(f); wait !== undefined; wait = this.step(f)) f.state = this.channel.waitWhile(f.state, wait);
    return this.settled;
  }

  /** Waits for the request in flight on the event loop, step by step as `finish` does. */
  private watch(f: InFlight): void {
    f.watched = true;
    const wait = this.step(f);
    if (wait === undefined) {
      this.pump();
      return;
    }
    const onward = (): void => {
      if (this.current !== f) return; // finished meanwhile by a `request` that waited for it
      f.state = this.channel.state;
      this.watch(f);
    };
    void this.channel.changed(f.state, wait).then(onward);
  }

  /** Moves a request in flight on: answers the thread's ask for ctx.here, takes the answer, or checks the budget.
   *  How long to wait for the channel to change (ms), or undefined once the request is over. */
  private step(f: InFlight): number | undefined {
    const { budgetMs } = f.req;
    if (f.state === Slot.NEED_HERE) {
      this.channel.send(Slot.HERE, f.req.here?.() ?? 'null');
      f.state = Slot.HERE;
    }
    if (f.state === Slot.DONE) return this.end(f, this.answer());
    const elapsed = performance.now() - f.started;
    const grace = budgetMs + hardGraceMs(budgetMs);
    // Most calls end in microseconds: only a slow one reads the script thread's CPU, at half its budget.
    if (elapsed < budgetMs / 2) return budgetMs / 2 - elapsed;
    f.cpuAtHalf ??= threadCpuMs(this.channel.tid);
    if (elapsed < grace) return grace - elapsed;
    // The clock has run out. The thread is ended once it has had its budget of CPU since half-time,
    // so a call starved by a busy machine is not cut short for time it never got.
    // A thread that gets no CPU for 20 budgets on the clock is ended too: the machine is stalled, or the thread is.
    if (threadCpuMs(this.channel.tid) - f.cpuAtHalf >= budgetMs || elapsed >= STALLED_BUDGETS * budgetMs) {
      this.stop();
      return this.end(f, undefined);
    }
    return Math.max(1, budgetMs / 10);
  }

  private answer(): Answer {
    const answer = { status: this.channel.status, text: this.channel.text() };
    // WebAssembly memory never shrinks: the spare takes over with all of it free, the scripts reload there.
    if (this.channel.spent) this.stop();
    return answer;
  }

  /** The request is over: a job hears its answer and sends its next request at once (its requests stay together). */
  private end(f: InFlight, answer: Answer | undefined): undefined {
    this.current = undefined;
    this.settled = answer;
    if (f.job) {
      try {
        f.job.answered(answer);
      } catch {
        // A job's own failure is its own: the channel goes on.
      }
      if (this.jobs[0] === f.job) this.advance(f.job);
    }
    return undefined;
  }

  /** Waits here until a script thread is up, starting one if there is none. */
  private start(): void {
    this.spawnIfNone();
    const channel = this.channel;
    if (channel.ready) return;
    if (!channel.waitReady(channel === this.late ? 0 : START_TIMEOUT_MS)) {
      this.stop();
      throw new Error(`the script thread did not start within ${START_TIMEOUT_MS} ms`);
    }
  }

  /** Takes the spare thread (started in the background when the last one was ended), or starts one, if there
   *  is no script thread; it may not be up yet. */
  private spawnIfNone(): void {
    if (this.worker) return;
    const { worker, channel } = this.spare ?? spawn();
    this.spare = undefined;
    worker.on('error', () => this.forget(worker));
    worker.on('exit', () => this.forget(worker));
    this.worker = worker;
    this.channel = channel;
    this.lastUsed = performance.now(); // not passivated while it starts
    this.idleCheck ??= setInterval(() => this.passivateIfIdle(), this.idleMs / 3).unref();
  }

  /** Ends the script thread, wherever it is (terminate() stops it even inside WebAssembly). */
  private stop(): void {
    const worker = this.worker;
    if (!worker) return;
    this.kills += 1;
    this.forget(worker);
    void worker.terminate();
    this.spare ??= spawn();
  }

  private passivateIfIdle(): void {
    const worker = this.worker;
    if (!worker || this.answersCalls || performance.now() - this.lastUsed < this.idleMs) return;
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
