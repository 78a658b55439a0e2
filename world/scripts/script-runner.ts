import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core';
import type { ScriptSource } from '../core/types.js';
import type { WorldError } from '../files/world-def.js';
import { MAX_STATE_CHARS } from './script-effects.js';
import { DESCRIBE, HERE, LIST_HOOKS, PRELUDE_SOURCE, RUN, factorySource } from './script-prelude.js';
import { positionIn } from './script-position.js';
import { freeHandles, newInterpreter, RELEASED, threadMemoryFull, WORLD_SCRIPT_MEMORY_BYTES, type Handles } from './script-interpreter.js';

// One builder script in its own QuickJS runtime (script-interpreter.ts), with
// its own heap limit, stack limit and an interrupt handler that ends a call at
// its CPU budget. It runs on the script thread (script-worker.ts); the host and
// the script share no object: a call is a JSON string in, a JSON string out.

/** Longest answer a turn may give, as JSON: a runaway script must not fill memory here. */
export const MAX_OUTPUT_CHARS = 1024 * 1024;
const NO_HERE = (): string => 'null';

export interface Limits {
  /** CPU budget of each hook call (ms). */
  timeoutMs: number;
  /** Budget of the script's top level at load (ms). */
  loadTimeoutMs: number;
  /** Heap limit of the script's runtime (bytes). */
  memoryBytes: number;
}
export type Failed = { ok: false; error: WorldError };
/** What a run inside the context came to: a string it answered, or why not. */
export type Ran = { text: string } | { limit: string } | { thrown: { error: string; stack?: string } };

/** One script's runtime and sealed context. Rebuilt from the source only if a
 *  call leaves a job queued (there is no Promise in it, so that is a defect). */
export class ScriptRunner {
  /** The QuickJS objects, apart from the runner, so they can be freed once it is gone. */
  private readonly h: Handles = {};
  private names: string[] = [];
  private deadline = 0;
  /** The process's CPU when the call's budget was first checked. */
  private cpuAtFirstCheck: NodeJS.CpuUsage | undefined;
  /** The `here` of the call in progress: sent into the context only if the hook reads it. */
  private here: () => string = NO_HERE;
  private budgetMs = 0;

  constructor(private readonly src: ScriptSource, private readonly limits: Limits) {
    RELEASED.register(this, this.h);
  }

  boot(): { ok: true; hooks: string[] } | Failed {
    try {
      return this.bootOnce();
    } catch (err) {
      // The interpreter itself failed (a WebAssembly trap when its memory is exhausted): this script is unavailable.
      this.dispose();
      return { ok: false, error: { file: this.src.file, line: this.src.line, column: 1, message: `script runtime failed: ${(err as Error).message}` } };
    }
  }

  private bootOnce(): { ok: true; hooks: string[] } | Failed {
    this.dispose();
    const probe = this.open();
    try {
      // First as a plain global script, to learn its top-level functions.
      const listed = this.evaluate(probe.context, `${'\n'.repeat(Math.max(0, this.src.line - 1))}${this.src.code}`, this.limits.loadTimeoutMs, true);
      if (!('text' in listed)) return this.loadFailure(listed);
      const names = this.evaluate(probe.context, LIST_HOOKS, this.limits.loadTimeoutMs);
      if (!('text' in names)) return this.loadFailure(names);
      this.names = (JSON.parse(names.text) as string[]).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
    } finally {
      probe.context.dispose();
      probe.runtime.dispose();
    }
    const sealed = this.seal();
    return sealed.ok ? { ok: true, hooks: this.names } : sealed;
  }

  /** The context turns run in: prelude, the builder's factory, the globals frozen;
   *  then one empty call, which runs the top level under the sealed rules. */
  private seal(): { ok: true } | Failed {
    const { runtime, context } = this.open();
    this.h.runtime = runtime;
    this.h.context = context;
    const installed = this.evaluate(context, factorySource(this.src.code, this.src.line, this.names), this.limits.loadTimeoutMs, true);
    if (!('text' in installed)) return this.loadFailure(installed);
    this.h.run = context.getProp(context.global, RUN);
    const first = this.call1(context, JSON.stringify({ hook: '', maxState: MAX_STATE_CHARS, msg: { id: 'load', type: 'load' }, self: 'room/load', now: 0, seed: 0, timerBase: 'tload' }), this.limits.loadTimeoutMs);
    if (!('text' in first)) return this.loadFailure(first);
    const out = JSON.parse(first.text) as { error?: string; stack?: string };
    if (typeof out.error === 'string') return this.loadFailure({ thrown: { error: out.error, stack: out.stack } });
    return { ok: true };
  }

  /** One hook call: `json` is the call's input as RUN takes it; `here` answers ctx.here, as JSON, if the hook reads it. */
  run(json: string, here: () => string): Ran {
    if (!this.h.context && !this.boot().ok) return { limit: `script ${this.src.file} is not available` };
    this.here = here;
    try {
      const ran = this.call1(this.h.context!, json, this.limits.timeoutMs);
      // QuickJS unwinds a call cut short by a limit cleanly, and the sealed context
      // keeps nothing from it: the next call needs no rebuild.
      if ('text' in ran && this.h.runtime!.hasPendingJob()) this.dispose();
      return ran;
    } finally {
      this.here = NO_HERE;
    }
  }

  /** Calls RUN(json) under the budget. */
  private call1(context: QuickJSContext, json: string, budgetMs: number): Ran {
    this.startBudget(budgetMs);
    const arg = context.newString(json);
    try {
      const result = context.callFunction(this.h.run!, context.undefined, arg);
      return this.settle(context, result);
    } catch {
      return { limit: this.overBudget() ? `script timed out after ${budgetMs} ms` : 'script failed' };
    } finally {
      arg.dispose();
    }
  }

  /** Evaluates code in the context under the budget; `named` code carries the builder's file name. */
  private evaluate(context: QuickJSContext, code: string, budgetMs: number, named = false): Ran {
    this.startBudget(budgetMs);
    try {
      return this.settle(context, context.evalCode(code, named ? this.src.file : 'mud:host', { type: 'global', strict: true }));
    } catch {
      return { limit: this.overBudget() ? `script timed out after ${budgetMs} ms` : 'script failed' };
    }
  }

  private settle(context: QuickJSContext, result: ReturnType<QuickJSContext['evalCode']>): Ran {
    if ('error' in result && result.error) {
      const error = result.error;
      try {
        return this.explain(context, error);
      } finally {
        error.dispose();
      }
    }
    const value = result.value!;
    try {
      if (context.typeof(value) !== 'string') return { text: '' };
      const text = context.getString(value);
      return text.length > MAX_OUTPUT_CHARS ? { limit: 'script answered too much' } : { text };
    } finally {
      value.dispose();
    }
  }

  /** What a thrown value says, asked of the context itself, still under the budget
   *  (the value may be the script's own, with getters). Limits are recognised first. */
  private explain(context: QuickJSContext, error: QuickJSHandle): Ran {
    if (this.overBudget()) return { limit: `script timed out after ${this.budgetMs} ms` };
    const describe = context.getProp(context.global, DESCRIBE);
    try {
      const said = context.callFunction(describe, context.undefined, error);
      if ('error' in said && said.error) {
        said.error.dispose();
        return { limit: this.overBudget() ? `script timed out after ${this.budgetMs} ms` : 'script threw a value that cannot be shown' };
      }
      const text = context.getString(said.value!);
      said.value!.dispose();
      const thrown = JSON.parse(text) as { error: string; stack?: string };
      // QuickJS throws null when it cannot even make the error: the thread's script memory is full.
      if (thrown.error === 'threw null' && threadMemoryFull()) {
        return { limit: `the scripts on this thread are out of memory (${WORLD_SCRIPT_MEMORY_BYTES / (1024 * 1024)} MB in all; MUD_SCRIPT_MEMORY_MB raises it)` };
      }
      if (/^(out of memory|stack overflow|Maximum call stack)/.test(thrown.error)) {
        return { limit: `script went over its ${thrown.error.startsWith('out') ? `${this.limits.memoryBytes / (1024 * 1024)} MB memory` : 'stack'} limit (${thrown.error})` };
      }
      return { thrown };
    } finally {
      describe.dispose();
    }
  }

  private startBudget(ms: number): void {
    this.budgetMs = ms;
    this.deadline = performance.now() + ms;
    this.cpuAtFirstCheck = undefined;
  }

  /** Spent once the budget has passed on the clock and the process has had that
   *  much CPU since the call's first check: a call starved by a busy machine is not
   *  cut short for time it never got, and none is ever run again. The CPU is read from
   *  the first check on (the interpreter's first poll, some 10,000 steps in, so a call
   *  gets its budget plus those steps): reading it is a system call (27 us on the 2-core
   *  machine under load, more than the rest of a short call), which a call that ends
   *  before its first poll, as most do, never makes. The script thread's end
   *  (script-thread.ts) bounds the call whatever this check does. */
  private overBudget(): boolean {
    this.cpuAtFirstCheck ??= process.cpuUsage();
    if (performance.now() < this.deadline) return false;
    const used = process.cpuUsage(this.cpuAtFirstCheck);
    return (used.user + used.system) / 1000 >= this.budgetMs;
  }

  private open(): { runtime: QuickJSRuntime; context: QuickJSContext } {
    const { runtime, context } = newInterpreter(this.limits.memoryBytes, () => this.overBudget());
    context.newFunction(HERE, () => context.newString(this.here())).consume((f) => context.setProp(context.global, HERE, f));
    this.startBudget(this.limits.loadTimeoutMs);
    const prelude = context.evalCode(PRELUDE_SOURCE, 'mud:prelude', { type: 'global' });
    if ('error' in prelude && prelude.error) {
      const why = context.dump(prelude.error);
      prelude.error.dispose();
      throw new Error(`script prelude failed: ${JSON.stringify(why)}`);
    }
    prelude.value!.dispose();
    return { runtime, context };
  }

  private loadFailure(ran: Exclude<Ran, { text: string }>): Failed {
    this.dispose();
    if ('limit' in ran) {
      return { ok: false, error: { file: this.src.file, line: this.src.line, column: 1, message: `${ran.limit} at its top level` } };
    }
    const { line, column } = positionIn(this.src.file, ran.thrown.stack) ?? { line: this.src.line, column: 1 };
    const syntax = /^SyntaxError|^unexpected|expecting|^invalid|^missing|^unterminated/.test(ran.thrown.error) || ran.thrown.stack?.includes('SyntaxError');
    // QuickJS reports an unterminated string at its opening quote: say what that is.
    const why = ran.thrown.error === 'unexpected end of string' ? 'unterminated string: it opens here and is never closed' : ran.thrown.error;
    const message = syntax ? `script does not compile: ${why}` : `script failed at its top level: ${why}`;
    return { ok: false, error: { file: this.src.file, line, column, message } };
  }

  dispose(): void {
    freeHandles(this.h);
  }
}
