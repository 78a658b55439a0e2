import type { Json, ScriptHook, ScriptInput, ScriptOutcome, ScriptSource } from '../core/types.js';
import type { WorldError } from '../files/world-def.js';
import { checkEffects, MAX_STATE_CHARS } from './script-effects.js';
import { findForbidden } from './script-static-check.js';
import { Op, Status } from './script-channel.js';
import type { Limits } from './script-runner.js';
import { positionIn } from './script-position.js';
import { SCRIPT_THREAD, type Answer as AnswerOf, type Request } from './script-thread.js';
import { meteredCall, meteredLater } from './script-meter.js';
import { MAX_ERROR_CHARS, shortened } from './script-prelude.js';
import { HostVersions } from './script-versions.js';

// Builder scripts as the turns see them: a hook is a synchronous function from
// a ScriptInput to a ScriptOutcome that never throws. Each script runs in its own
// QuickJS runtime (script-runner.ts) on the turn thread's script thread
// (script-thread.ts), which is ended if a call overruns its budget.
// docs/architecture/scripts.md and docs/architecture/script-thread.md.

/** A call's CPU budget. The interpreter ends a call there; where it cannot, the script thread is ended. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 50;
/** Budget of a script's top level at load (run twice: to list its hooks, then sealed). */
export const DEFAULT_LOAD_TIMEOUT_MS = 1000;
/** Heap of one script's runtime: the interpreter's own objects, the script's top level and one call.
 *  QuickJS checks it on most allocations, not all: the thread's script memory
 *  (script-interpreter.ts) is the hard bound. */
export const DEFAULT_SCRIPT_MEMORY_BYTES = 8 * 1024 * 1024;

export type CompileResult =
  | { ok: true; hooks: Map<string, ScriptHook>; /** Frees the script's runtime now (a check that keeps no hooks). */ dispose(): void }
  | { ok: false; error: WorldError };

export type CompileOptions = Partial<Limits>;

export function compileScript(src: ScriptSource, opts: CompileOptions = {}): CompileResult {
  const banned = findForbidden(src);
  if (banned) return { ok: false, error: banned };
  const script = new Script(src, {
    timeoutMs: opts.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS,
    loadTimeoutMs: opts.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
    memoryBytes: opts.memoryBytes ?? DEFAULT_SCRIPT_MEMORY_BYTES,
  });
  const booted = script.load();
  if (!booted.ok) return booted;
  const hooks = new Map<string, ScriptHook>();
  for (const name of booted.hooks) {
    const hook: ScriptHook = (input) => meteredCall(() => script.call(name, input));
    hook.later = (input) => meteredLater(() => script.callLater(name, input));
    hooks.set(name, hook);
  }
  return { ok: true, hooks, dispose: () => script.dispose() };
}

/** What a call's answer says (script-prelude.ts, script-vm-state.ts): an error, a state too large, or the keys
 *  of the new state with the JSON of those that changed (no keys: unchanged), the state's size, and the effects. */
interface Answer {
  error?: unknown;
  stack?: unknown;
  tooLarge?: unknown;
  same?: unknown;
  keys?: string[];
  changed?: Record<string, Json>;
  size?: unknown;
  effects?: unknown;
}
const MISSING = '{"missing":true}';
const TIMED_OUT = Symbol('timed out');

/** The context did not have the version a request named: the call is made again with the state whole. */
function missed(answer: AnswerOf | typeof TIMED_OUT): boolean {
  return answer !== TIMED_OUT && answer.status === Status.TEXT && answer.text === MISSING;
}

/** The script's own words were cut inside its context already; this bounds what the host adds around them. */
function failed(error: string): ScriptOutcome {
  return { ok: false, error: shortened(error, 2 * MAX_ERROR_CHARS) };
}

/** How long a script that had its thread ended is refused, at first; doubled each time it happens again, up to MAX_PAUSE_MS. */
export const FIRST_PAUSE_MS = 1000;
const MAX_PAUSE_MS = 60_000;

/** A script's runtime on the script thread, loaded again if that thread was replaced. */
class Script {
  private id = 0;
  private generation = -1;
  /** A script that had its thread ended rests a while: each end costs every script a reload, and a new thread time to start. */
  private pausedUntil = 0;
  private pauseMs = FIRST_PAUSE_MS / 2;
  /** Why it rests: its thread was ended inside a built-in, or it built a state past the size limit. */
  private pausedFor = '';
  /** Which host objects are which versions of the state the script thread keeps (script-versions.ts). */
  private versions = new HostVersions();
  /** The version number the last request asked the context to give a changed state. */
  private sent = 0;

  constructor(private readonly src: ScriptSource, private readonly limits: Limits) {}

  load(): { ok: true; hooks: string[] } | { ok: false; error: WorldError } {
    const id = SCRIPT_THREAD.newId();
    const generation = SCRIPT_THREAD.generation;
    // Top level twice (list the hooks, then sealed), then one empty call.
    const answer = SCRIPT_THREAD.request(Op.COMPILE, id, JSON.stringify({ src: this.src, limits: this.limits }), 3 * this.limits.loadTimeoutMs);
    if (!answer) return this.failed(`script timed out after ${this.limits.loadTimeoutMs} ms at its top level (its thread was ended)`);
    if (answer.status === Status.FAILED) return { ok: false, error: JSON.parse(answer.text) as WorldError };
    if (answer.status !== Status.TEXT) return this.failed(answer.text);
    this.id = id;
    this.generation = generation;
    // A new context keeps no state yet: every object's is sent whole on its next call.
    this.versions = new HostVersions();
    RELEASED.register(this, { id, generation }, this);
    return { ok: true, hooks: JSON.parse(answer.text) as string[] };
  }

  call(hook: string, input: ScriptInput): ScriptOutcome {
    const early = this.ready();
    if (early) return early;
    const base = input.state ?? {};
    const known = this.versions.of(base, input.self);
    let answer = this.request(hook, input, base, known);
    // The context no longer keeps that version, or the one a delta is from (dropped for another object's): send it whole.
    if (missed(answer)) answer = this.request(hook, input, base, undefined, true);
    return this.outcome(hook, base, input.self, answer);
  }

  /** The same call, run when the script thread is free, without holding this thread meanwhile (script-thread.ts):
   *  its requests (and a retry with the state whole) go together, built when sent, so versions stay in step. */
  callLater(hook: string, input: ScriptInput): Promise<ScriptOutcome> {
    return new Promise((resolve) => {
      let base: Json = {};
      let known: number | undefined;
      let v = 0;
      let whole = false;
      let last: AnswerOf | typeof TIMED_OUT | undefined;
      let over = false;
      const end = (outcome: ScriptOutcome): undefined => {
        over = true;
        resolve(outcome);
        return undefined;
      };
      SCRIPT_THREAD.later({
        next: (): Request | undefined => {
          if (over) return undefined;
          if (last === undefined) {
            const early = this.ready();
            if (early) return end(early);
            base = input.state ?? {};
            known = this.versions.of(base, input.self);
          } else {
            if (whole || !missed(last)) return end(this.outcome(hook, base, input.self, last));
            whole = true;
            known = undefined;
          }
          const asked = this.ask(hook, input, base, known, whole);
          if ('refused' in asked) return end(this.outcome(hook, base, input.self, asked.refused));
          v = asked.v;
          return asked.req;
        },
        answered: (answer) => {
          last = this.heard(answer, base, input.self, known, v);
        },
      });
    });
  }

  /** Undefined when a call may go ahead: not resting, loaded on the script thread of now; else the outcome that says why not. */
  private ready(): ScriptOutcome | undefined {
    const resting = this.pausedUntil - performance.now();
    if (resting > 0) return failed(`script ${this.src.file} is paused for ${Math.ceil(resting / 1000)} s: ${this.pausedFor}`);
    if (this.generation !== SCRIPT_THREAD.generation) {
      RELEASED.unregister(this);
      if (!this.load().ok) return failed(`script ${this.src.file} is not available`);
    }
    return undefined;
  }

  /** What the call's answer comes to. */
  private outcome(hook: string, base: Json, self: string, answer: AnswerOf | typeof TIMED_OUT): ScriptOutcome {
    if (answer === TIMED_OUT) {
      this.rest('it ran past its budget inside a built-in');
      return failed(`script timed out after ${this.limits.timeoutMs} ms in ${this.src.file} ${hook} (inside a built-in: its thread was ended; paused ${this.pauseMs / 1000} s)`);
    }
    const outcome = this.answered(hook, base, self, answer);
    if (outcome.ok || !outcome.error.includes(': script state too large (')) this.pauseMs = FIRST_PAUSE_MS / 2;
    else {
      // Building a state past the limit costs its thread up to a call's CPU each time: repeats rest, as above.
      this.rest('its state was too large');
      return failed(`${outcome.error}; paused ${this.pauseMs / 1000} s`);
    }
    return outcome;
  }

  /** Refuses calls for a while, twice as long as the last time (until a call ends normally). */
  private rest(why: string): void {
    this.pauseMs = Math.min(MAX_PAUSE_MS, this.pauseMs * 2);
    this.pausedUntil = performance.now() + this.pauseMs;
    this.pausedFor = why;
  }

  /** What an answer the script thread gave comes to. */
  private answered(hook: string, base: Json, self: string, answer: AnswerOf): ScriptOutcome {
    if (answer.status === Status.LIMIT) return failed(`${answer.text} in ${this.src.file} ${hook}`);
    if (answer.status !== Status.TEXT) return failed(`script failed in ${this.src.file} ${hook}`);
    let out: Answer;
    try {
      out = JSON.parse(answer.text) as Answer;
    } catch {
      return failed(`script failed in ${this.src.file} ${hook}`);
    }
    if (typeof out.error === 'string') return failed(this.locate(out.error, out.stack));
    if (typeof out.tooLarge === 'number') return failed(`${this.src.file} ${hook}: script state too large (${out.tooLarge} chars, the limit is ${MAX_STATE_CHARS})`);
    const effects = checkEffects(out.effects);
    if (!effects.ok) return failed(`${this.src.file} ${hook}: ${effects.error}`);
    const size = typeof out.size === 'number' ? out.size : undefined;
    // Unchanged: none, or the very state it was given when the hook returned one (never an equal copy: turn.ts compares by identity).
    if (out.keys === undefined) return { ok: true, state: out.same === true ? base : undefined, effects: effects.value, size };
    const state = this.versions.next(base, out.keys, out.changed ?? {}, self, this.sent);
    return { ok: true, state, effects: effects.value, size };
  }

  /** One call on the script thread, waited for here. */
  private request(hook: string, input: ScriptInput, base: Json, known: number | undefined, whole = false): AnswerOf | typeof TIMED_OUT {
    const asked = this.ask(hook, input, base, known, whole);
    if ('refused' in asked) return asked.refused;
    const { req, v } = asked;
    return this.heard(SCRIPT_THREAD.request(req.op, req.id, req.text, req.budgetMs, req.here), base, input.self, known, v);
  }

  /** A call's request: the state as a version the context keeps (`known`), as the keys that differ from one, or whole. */
  private ask(hook: string, input: ScriptInput, base: Json, known: number | undefined, whole: boolean): { req: Request; v: number } | { refused: AnswerOf } {
    const v = known ?? this.versions.fresh();
    this.sent = this.versions.fresh();
    let json: string;
    try {
      const call = { hook, msg: input.msg, self: input.self, now: input.now, seed: input.seed, timerBase: input.timerBase, v, next: this.sent };
      const delta = known === undefined && !whole ? this.versions.delta(base, input.self) : undefined;
      json = JSON.stringify(known !== undefined ? call : delta !== undefined ? { ...call, ...delta } : { ...call, state: base });
    } catch {
      return { refused: { status: Status.LIMIT, text: 'script input is not JSON' } };
    }
    // ctx.here is made into JSON only if the hook reads it.
    return { req: { op: Op.CALL, id: this.id, text: json, budgetMs: this.limits.timeoutMs, here: () => JSON.stringify(input.here ?? null) }, v };
  }

  /** The thread's answer to a request; the context keeps what it was sent under `v` once the call ran: the host's object is that version from now on. */
  private heard(answer: AnswerOf | undefined, base: Json, self: string, known: number | undefined, v: number): AnswerOf | typeof TIMED_OUT {
    if (!answer) return TIMED_OUT;
    if (known === undefined && answer.status === Status.TEXT) this.versions.tag(base, self, v);
    return answer;
  }

  dispose(): void {
    RELEASED.unregister(this);
    free({ id: this.id, generation: this.generation });
    this.generation = -1;
  }

  private failed(message: string): { ok: false; error: WorldError } {
    return { ok: false, error: { file: this.src.file, line: this.src.line, column: 1, message } };
  }

  /** `file:line: message`, the line taken from the innermost frame in the script. */
  private locate(message: string, stack: unknown): string {
    const at = positionIn(this.src.file, stack);
    return at === undefined ? `${this.src.file}: ${message}` : `${this.src.file}:${at.line}: ${message}`;
  }
}

function free(at: { id: number; generation: number }): void {
  if (at.generation === SCRIPT_THREAD.generation) SCRIPT_THREAD.request(Op.FREE, at.id, '', 1000);
}

/** A world replaced by a reload drops its scripts; their runtimes live on the script thread until freed. */
const RELEASED = new FinalizationRegistry(free);
