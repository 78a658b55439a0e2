import type { ScriptHook, ScriptInput, ScriptOutcome, ScriptSource } from './types.js';
import type { WorldError } from './world-def.js';
import { checkEffects, checkState } from './script-effects.js';
import { findForbidden } from './script-static-check.js';
import { Op, Status } from './script-channel.js';
import { positionIn, type Limits } from './script-runner.js';
import { SCRIPT_THREAD } from './script-thread.js';
import { meteredCall } from './script-meter.js';

// Builder scripts as the turns see them: a hook is a synchronous function from
// a ScriptInput to a ScriptOutcome that never throws. Each script runs in its own
// QuickJS runtime (script-runner.ts) on the turn thread's script thread
// (script-thread.ts), which is ended if a call overruns its budget.
// docs/ARCHITECTURE.md, "Builder scripts".

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
  for (const name of booted.hooks) hooks.set(name, (input) => meteredCall(() => script.call(name, input)));
  return { ok: true, hooks, dispose: () => script.dispose() };
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
    RELEASED.register(this, { id, generation }, this);
    return { ok: true, hooks: JSON.parse(answer.text) as string[] };
  }

  call(hook: string, input: ScriptInput): ScriptOutcome {
    const failed = (error: string): ScriptOutcome => ({ ok: false, error });
    const resting = this.pausedUntil - performance.now();
    if (resting > 0) return failed(`script ${this.src.file} is paused for ${Math.ceil(resting / 1000)} s: it ran past its budget inside a built-in`);
    if (this.generation !== SCRIPT_THREAD.generation) {
      RELEASED.unregister(this);
      if (!this.load().ok) return failed(`script ${this.src.file} is not available`);
    }
    let json: string;
    try {
      json = JSON.stringify({ hook, state: input.state ?? {}, msg: input.msg, self: input.self, now: input.now, seed: input.seed, timerBase: input.timerBase });
    } catch {
      return failed(`script input for ${this.src.file} ${hook} is not JSON`);
    }
    const here = input.here ?? null;
    const answer = SCRIPT_THREAD.request(Op.CALL, this.id, json, this.limits.timeoutMs, () => JSON.stringify(here));
    if (!answer) {
      this.pauseMs = Math.min(MAX_PAUSE_MS, this.pauseMs * 2);
      this.pausedUntil = performance.now() + this.pauseMs;
      return failed(`script timed out after ${this.limits.timeoutMs} ms in ${this.src.file} ${hook} (inside a built-in: its thread was ended; paused ${this.pauseMs / 1000} s)`);
    }
    this.pauseMs = FIRST_PAUSE_MS / 2;
    if (answer.status === Status.LIMIT) return failed(`${answer.text} in ${this.src.file} ${hook}`);
    if (answer.status !== Status.TEXT) return failed(`script failed in ${this.src.file} ${hook}`);
    let out: { [key: string]: unknown };
    try {
      out = JSON.parse(answer.text) as { [key: string]: unknown };
    } catch {
      return failed(`script failed in ${this.src.file} ${hook}`);
    }
    if (typeof out.error === 'string') return failed(this.locate(out.error, out.stack));
    const state = checkState(out.state);
    if (!state.ok) return failed(`${this.src.file} ${hook}: ${state.error}`);
    const effects = checkEffects(out.effects);
    if (!effects.ok) return failed(`${this.src.file} ${hook}: ${effects.error}`);
    return { ok: true, state: state.value, effects: effects.value };
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
