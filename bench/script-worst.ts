// script-worst: how long a runaway builder script holds the thread that runs
// turns, for the worst single calls we know (built-ins over large arrays and
// strings, a backtracking RegExp, an endless loop, a memory bomb). Each case's
// hook is called a few times; the figure is the longest a call held this thread,
// and the longest another script's next call took after it (a reload on a new thread).
// The budget is 50 ms of CPU; calls the interpreter cannot interrupt end when the
// script thread is ended (world/scripts/script-thread.ts).

import { compileScript, DEFAULT_SCRIPT_TIMEOUT_MS } from '../world/scripts/script-sandbox.js';
import { SCRIPT_THREAD } from '../world/scripts/script-thread.js';
import type { ScriptHook } from '../world/core/types.js';
import { loadAverage, type BenchOptions, type Scenario } from './scenario.js';

/** Each case is one hook body; the ones ending in `for (;;)` repeat a built-in call until stopped. */
export const WORST_CASES: Record<string, string> = {
  loop: 'for (;;) {}',
  sort: 'const a = []; for (let i = 0; i < 200000; i++) a.push(i * 7919 % 100003); for (;;) a.sort();',
  fill: 'for (;;) new Array(1e6).fill(1);',
  join: "const a = new Array(300000).fill('abcdefgh'); for (;;) a.join(',');",
  indexOf: 'const a = new Array(1e6).fill(1); for (;;) a.indexOf(2);',
  stringify: "const a = new Array(200000).fill({ a: [1, 2, 3], b: 'xx' }); for (;;) JSON.stringify(a);",
  repeat: "for (;;) 'x'.repeat(3e6);",
  replace: "const s = 'a'.repeat(2e6); for (;;) s.replace(/a/g, 'bb');",
  split: "const s = 'a,'.repeat(1e6); for (;;) s.split(',');",
  regex: "/^(a+)+$/.test('a'.repeat(40) + 'b');",
  strings: "let s = 'ab'; for (let i = 0; i < 40; i++) s = s + s;",
  memory: 'const all = []; for (;;) all.push(new Array(1e5).fill(1));',
};

export const scriptWorst: Scenario = {
  name: 'script-worst',
  modes: ['in-process'],
  about: 'longest a runaway script call holds the turn thread (ms), per worst case; budget 50 ms',
  async run(_mode, opts: BenchOptions) {
    const metrics: Record<string, number> = {};
    const calls = opts.smoke ? 1 : 5;
    const kills = SCRIPT_THREAD.kills;
    let worst = 0;
    const other = compileScript({ file: 'other.js', line: 1, code: 'function enter(state) { return { n: (state.n || 0) + 1 }; }' });
    if (!other.ok) throw new Error(other.error.message);
    const call = (hook: ScriptHook, i: number) => hook({ state: {}, msg: { id: `w${i}`, type: 'enter' }, self: 'room/bench', here: null, now: 0, seed: i, timerBase: `tw${i}` });
    let recover = 0;
    for (const [name, body] of Object.entries(WORST_CASES)) {
      opts.progress(`script-worst: ${name}`);
      let held = 0;
      for (let i = 0; i < calls; i++) {
        // Compiled afresh for each call: a script whose thread was ended rests, and loading is not the figure.
        const compiled = compileScript({ file: `${name}.js`, line: 1, code: `function enter() { ${body} }` });
        if (!compiled.ok) throw new Error(`${name} does not compile: ${compiled.error.message}`);
        const started = performance.now();
        const out = call(compiled.hooks.get('enter')!, i);
        held = Math.max(held, performance.now() - started);
        if (out.ok) throw new Error(`${name} ended within its budget: not a worst case`);
        compiled.dispose();
        // What another script's next call costs after this one: a reload when the thread was ended.
        const next = performance.now();
        if (!call(other.hooks.get('enter')!, i).ok) throw new Error('another script failed after a worst case');
        recover = Math.max(recover, performance.now() - next);
      }
      metrics[`${name}Ms`] = held;
      worst = Math.max(worst, held);
    }
    other.dispose();
    metrics.otherScriptNextCallMs = recover;
    metrics.worstMs = worst;
    metrics.threadsEnded = SCRIPT_THREAD.kills - kills;
    return {
      metrics,
      // 20 budgets is where the turn thread stops waiting whatever the CPU says (world/scripts/script-thread.ts).
      targets: [{ metric: 'worstMs', op: '<=', value: 20 * DEFAULT_SCRIPT_TIMEOUT_MS, label: 'no call holds the turn thread past 20 budgets, however starved' }],
      setup: { budgetMs: DEFAULT_SCRIPT_TIMEOUT_MS, callsPerCase: calls, load: loadAverage() },
    };
  },
};
