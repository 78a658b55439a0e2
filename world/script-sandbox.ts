import vm from 'node:vm';
import { types } from 'node:util';
import type { ScriptHook, ScriptInput, ScriptOutcome, ScriptSource } from './types.js';
import type { WorldError } from './world-def.js';
import { DESCRIBE, INPUT, LOCKDOWN, PRELUDE_SOURCE, RUN, THROWN, WARM_UP } from './script-prelude.js';
import { checkEffects, checkState } from './script-effects.js';

// Builder scripts run in node:vm, one context per script, with code generation
// from strings off (no eval, no new Function). Only strings cross between host
// and context, in both directions (see script-prelude.ts), every run has a time
// limit, and a hook never throws: it answers { ok: false, error }.

export const DEFAULT_SCRIPT_TIMEOUT_MS = 200;
/** Budget for a script's top level plus sealing its context: run once per load,
 *  and sealing freezes every built-in, which a busy machine can stretch well
 *  past a turn's budget. Still catches a top level that never ends. */
export const DEFAULT_LOAD_TIMEOUT_MS = 2000;
/** Longest answer a turn may give, as JSON: a runaway script must not fill memory here. */
const MAX_OUTPUT_CHARS = 1024 * 1024;

const PRELUDE = new vm.Script(PRELUDE_SOURCE, { filename: 'mud:prelude' });
const CALL = new vm.Script(`${RUN}()`, { filename: 'mud:call' });
const LOCK = new vm.Script(`${LOCKDOWN}()`, { filename: 'mud:lockdown' });
const EXPLAIN = new vm.Script(`${DESCRIBE}()`, { filename: 'mud:describe' });

export type CompileResult = { ok: true; hooks: Map<string, ScriptHook> } | { ok: false; error: WorldError };

export interface CompileOptions {
  /** Time limit of each hook call. */
  timeoutMs?: number;
  /** Time limit of the script's top level, and of sealing its context. */
  loadTimeoutMs?: number;
}

export function compileScript(src: ScriptSource, opts: CompileOptions = {}): CompileResult {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS;
  const loadTimeoutMs = opts.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  const banned = findForbidden(src);
  if (banned) return { ok: false, error: banned };
  let script: vm.Script;
  try {
    // Strict mode on its own line, so the builder's lines keep their numbers.
    script = new vm.Script(`'use strict';\n${src.code}`, { filename: src.file, lineOffset: src.line - 2 });
  } catch (e) {
    return { ok: false, error: syntaxError(src, e) };
  }
  const runner = new ScriptRunner(src, script, timeoutMs, loadTimeoutMs);
  const booted = runner.boot();
  if (!booted.ok) return booted;
  const hooks = new Map<string, ScriptHook>();
  for (const name of booted.hooks) {
    hooks.set(name, (input) => {
      try {
        return runner.call(name, input);
      } catch {
        // Never reached by design; but a hook must not throw into a turn.
        return { ok: false, error: `script failed in ${src.file} ${name}` };
      }
    });
  }
  return { ok: true, hooks };
}

/** One script's context. It is rebuilt from the source if a turn manages to
 *  leave something behind in it that cannot be swept away. */
class ScriptRunner {
  private sandbox: Record<string, unknown> = Object.create(null);
  private context: vm.Context | undefined;

  constructor(
    private readonly src: ScriptSource,
    private readonly script: vm.Script,
    private readonly timeoutMs: number,
    private readonly loadTimeoutMs: number,
  ) {}

  boot(): { ok: true; hooks: string[] } | { ok: false; error: WorldError } {
    this.context = undefined;
    const sandbox: Record<string, unknown> = Object.create(null);
    const context = vm.createContext(sandbox, {
      codeGeneration: { strings: false, wasm: false },
      // The prelude removes Promise; should a promise still appear, its callbacks
      // run inside the time limit rather than later on the host's queue.
      microtaskMode: 'afterEvaluate',
    });
    PRELUDE.runInContext(context);
    const fail = (message: string, stack?: string): { ok: false; error: WorldError } => ({
      ok: false,
      error: { file: this.src.file, line: lineIn(this.src.file, stack) ?? this.src.line, column: 1, message },
    });
    try {
      this.script.runInContext(context, limits(this.loadTimeoutMs));
    } catch (e) {
      if (isTimeout(e)) return fail(`script timed out after ${this.loadTimeoutMs} ms at its top level`);
      const thrown = fromHost(e) ? { error: e.message } : explain(sandbox, context, e, this.loadTimeoutMs);
      return fail(`script failed at its top level: ${thrown.error}`, thrown.stack);
    }
    const locked = answer(() => LOCK.runInContext(context, limits(this.loadTimeoutMs)));
    if (!locked || !Array.isArray(locked.hooks)) return fail(`script could not be sealed: ${locked?.error ?? 'no answer'}`);
    this.sandbox = sandbox;
    this.context = context;
    // V8 compiles functions on first call: take the prelude's whole turn path once
    // now, under the load budget, so a player's first turn does not pay for it.
    this.call(WARM_UP, { state: {}, msg: { id: 'warm-up', type: WARM_UP }, self: 'room/warm_up', here: null, now: 0, seed: 0 }, this.loadTimeoutMs);
    return { ok: true, hooks: locked.hooks.filter((h): h is string => typeof h === 'string') };
  }

  call(hook: string, input: ScriptInput, timeoutMs = this.timeoutMs): ScriptOutcome {
    const failed = (error: string): ScriptOutcome => ({ ok: false, error });
    if (!this.context) return failed(`script ${this.src.file} is not available`);
    const context = this.context;
    let json: string;
    try {
      json = JSON.stringify({
        hook, state: input.state ?? {}, msg: input.msg, self: input.self, here: input.here ?? null, now: input.now, seed: input.seed,
      });
    } catch {
      return failed(`script input for ${this.src.file} ${hook} is not JSON`);
    }
    this.sandbox[INPUT] = json;
    const { out, timedOut } = runTurn(context, timeoutMs);
    if (timedOut) return failed(`script timed out after ${timeoutMs} ms in ${this.src.file} ${hook}`);
    if (!out) return failed(`script failed in ${this.src.file} ${hook}`);
    if (out.tainted === true) this.boot();
    if (typeof out.error === 'string') return failed(this.locate(out.error, out.stack));
    const state = checkState(out.state);
    if (!state.ok) return failed(`${this.src.file} ${hook}: ${state.error}`);
    const effects = checkEffects(out.effects);
    if (!effects.ok) return failed(`${this.src.file} ${hook}: ${effects.error}`);
    return { ok: true, state: state.value, effects: effects.value };
  }

  /** `file:line: message`, the line taken from the innermost frame in the script. */
  private locate(message: string, stack: unknown): string {
    const line = lineIn(this.src.file, stack);
    return line === undefined ? `${this.src.file}: ${message}` : `${this.src.file}:${line}: ${message}`;
  }
}

/** Extra runs for a turn that timed out without getting the CPU time it was allowed. */
const STARVED_RETRIES = 2;

/** The time limit is wall-clock time, which cannot tell a script that loops from
 *  one that waited for a busy CPU. A turn is a pure function of its input, so one
 *  that timed out while the whole process used less CPU than the limit is run again. */
function runTurn(context: vm.Context, timeoutMs: number): { out: Answer; timedOut: boolean } {
  for (let attempt = 0; ; attempt++) {
    const cpu = process.cpuUsage();
    let timedOut = false;
    const out = answer(() => CALL.runInContext(context, limits(timeoutMs)), () => { timedOut = true; });
    if (!timedOut) return { out, timedOut };
    const used = process.cpuUsage(cpu);
    if (attempt >= STARVED_RETRIES || (used.user + used.system) / 1000 >= timeoutMs) return { out, timedOut };
  }
}

/** A time limit, and no `displayErrors`: decorating an escaping error makes Node
 *  read the script's own getters (its `message`, say) outside the time limit. */
function limits(timeoutMs: number): vm.RunningScriptOptions {
  return { timeout: timeoutMs, displayErrors: false };
}

type Answer = { [key: string]: unknown } | undefined;

/** Runs something in the context that answers with a JSON string. Anything
 *  else (a throw, a non-string) is no answer: such values are never looked into,
 *  since they may be the script's own objects. */
function answer(run: () => unknown, onTimeout?: () => void): Answer {
  let raw: unknown;
  try {
    raw = run();
  } catch (e) {
    if (isTimeout(e)) onTimeout?.();
    return undefined;
  }
  if (typeof raw !== 'string' || raw.length > MAX_OUTPUT_CHARS) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null ? (parsed as Answer) : undefined;
}

/** Asks the context itself what a value thrown by the script's top level says,
 *  so the script's getters run in there, under the time limit. */
function explain(sandbox: Record<string, unknown>, context: vm.Context, thrown: unknown, timeoutMs: number): { error: string; stack?: string } {
  sandbox[THROWN] = thrown;
  const said = answer(() => EXPLAIN.runInContext(context, limits(timeoutMs)));
  sandbox[THROWN] = undefined;
  return {
    error: typeof said?.error === 'string' ? said.error : 'threw a value that cannot be shown',
    stack: typeof said?.stack === 'string' ? said.stack : undefined,
  };
}

/** Whether a thrown value was made by the host rather than the script: its
 *  prototype chain ends at the host's Object.prototype. Walks without running
 *  any of the script's code (no proxy traps, no getters). */
function fromHost(e: unknown): e is Error {
  if (typeof e !== 'object' || e === null) return false;
  let last: object = e;
  for (let p: object | null = e; p !== null; p = Object.getPrototypeOf(p)) {
    if (types.isProxy(p)) return false;
    last = p;
  }
  return last === Object.prototype;
}

/** vm's timeout error is made in the context's realm, so it is recognised by
 *  its own `code`; only a termination (which scripts cannot catch) escapes the
 *  prelude's own try/catch, so nothing else arrives here looking like one. */
function isTimeout(e: unknown): boolean {
  if (typeof e !== 'object' || e === null || types.isProxy(e)) return false;
  return Object.getOwnPropertyDescriptor(e, 'code')?.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

function lineIn(file: string, stack: unknown): number | undefined {
  if (typeof stack !== 'string') return undefined;
  const match = new RegExp(`${escapeRegExp(file)}:(\\d+)(?::\\d+)?`).exec(stack);
  return match ? Number(match[1]) : undefined;
}

/** V8 reports a syntax error as `file:line`, the source line and a caret under the column. */
function syntaxError(src: ScriptSource, e: unknown): WorldError {
  const err = e as Error;
  const stack = String(err.stack ?? '');
  const caret = /^( *)\^/m.exec(stack);
  return {
    file: src.file,
    line: lineIn(src.file, stack) ?? src.line,
    column: caret ? caret[1].length + 1 : 1,
    message: `script does not compile: ${err.message}`,
  };
}

/** Words refused outright. `import()` hands the script an error object from the
 *  host's realm (a way out); `async` functions make promises, whose callbacks run
 *  after the turn, outside its time limit. Escaped spellings of keywords are
 *  syntax errors in JavaScript, so the plain words are all there is to find. */
const FORBIDDEN: ReadonlyArray<[RegExp, string]> = [
  [/(?<![\w$.])import(?![\w$])/, 'import is not available in world scripts'],
  [/(?<![\w$.])async(?![\w$])/, 'async code is not available in world scripts: a turn runs to completion'],
];

function findForbidden(src: ScriptSource): WorldError | undefined {
  for (const [pattern, message] of FORBIDDEN) {
    const match = pattern.exec(src.code);
    if (!match) continue;
    const before = src.code.slice(0, match.index).split('\n');
    return { file: src.file, line: src.line + before.length - 1, column: before[before.length - 1].length + 1, message };
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
