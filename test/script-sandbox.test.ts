import { describe, expect, it } from 'vitest';
import { compileScript } from '../world/scripts/script-sandbox.js';
import { SCRIPT_THREAD } from '../world/scripts/script-thread.js';
import type { Json, ScriptHook, ScriptInput, ScriptOutcome } from '../world/core/types.js';

const FILE = 'scripts/test.js';

/** Wall-clock limits: generous unless a test is about them, so a busy machine cannot fail a test. */
const RELAXED_MS = 2000;

function hooksOf(code: string, timeoutMs = RELAXED_MS): Map<string, ScriptHook> {
  const compiled = compileScript({ file: FILE, line: 1, code }, { timeoutMs });
  if (!compiled.ok) throw new Error(`did not compile: ${JSON.stringify(compiled.error)}`);
  return compiled.hooks;
}

function input(over: Partial<ScriptInput> = {}): ScriptInput {
  return {
    state: {},
    msg: { id: 'm1', type: 'enter', actor: 'player/alice', player: 'player/alice', name: 'Alice' },
    self: 'room/plaza',
    here: { name: 'The Plaza', occupants: [{ ref: 'player/alice', name: 'Alice' }] },
    now: 1_700_000_000_000,
    seed: 42,
    timerBase: 't1',
    ...over,
  };
}

/** Runs `body` as an `enter` hook and returns the outcome. */
function run(body: string, over: Partial<ScriptInput> = {}): ScriptOutcome {
  return hooksOf(`function enter(state, msg, ctx) {\n${body}\n}`).get('enter')!(input(over));
}

function stateOf(outcome: ScriptOutcome): Json | undefined {
  if (!outcome.ok) throw new Error(`hook failed: ${outcome.error}`);
  return outcome.state;
}

describe('compileScript: hooks and state', () => {
  it('exposes top-level functions as hooks', () => {
    const hooks = hooksOf('function init(s) { return { n: 0 }; }\nfunction enter(s) {}\nvar exit = function () {};');
    expect([...hooks.keys()].sort()).toEqual(['enter', 'exit', 'init']);
  });

  it('init called with {} returns the initial state', () => {
    const init = hooksOf('function init(state) { return { visitors: 0, mood: "calm" }; }').get('init')!;
    expect(stateOf(init(input({ state: {}, msg: { id: 'init', type: 'init' } })))).toEqual({ visitors: 0, mood: 'calm' });
  });

  it('round-trips state, and returning nothing leaves it unchanged', () => {
    const state = { n: 3, names: ['a', 'b'], nested: { ok: true, none: null } };
    expect(stateOf(run('return state;', { state }))).toEqual(state);
    expect(stateOf(run('return { ...state, n: state.n + 1 };', { state }))).toEqual({ ...state, n: 4 });
    expect(stateOf(run('ctx.tell(ctx.actor, "hi");', { state }))).toBeUndefined();
  });

  it('keeps changes made in place when the hook returns nothing', () => {
    expect(stateOf(run('state.n = (state.n || 0) + 1;', { state: { n: 1 } }))).toEqual({ n: 2 });
  });

  it('gives the script ctx facts and a frozen message', () => {
    const out = run(`
      let frozen = false;
      try { msg.name = 'Mallory'; } catch (e) { frozen = true; }
      return { self: ctx.self, actor: ctx.actor, here: ctx.here.name, now: ctx.now(), frozen, name: msg.name,
               hereFrozen: Object.isFrozen(ctx.here.occupants[0]) };`);
    expect(stateOf(out)).toEqual({
      self: 'room/plaza', actor: 'player/alice', here: 'The Plaza', now: 1_700_000_000_000,
      frozen: true, name: 'Alice', hereFrozen: true,
    });
  });

  it('collects tell, tellRoom and send effects', () => {
    const out = run(`
      ctx.tell(msg.player, 'Welcome, ' + msg.name + '.');
      ctx.tellRoom(ctx.self, 'The pigeons coo.', [msg.player]);
      ctx.send('item/bell', { type: 'ring', times: 2 });`);
    expect(out).toEqual({
      ok: true,
      state: undefined,
      effects: [
        { t: 'tell', to: 'player/alice', text: 'Welcome, Alice.' },
        { t: 'tellRoom', room: 'room/plaza', text: 'The pigeons coo.', except: ['player/alice'] },
        { t: 'send', to: 'item/bell', msg: { type: 'ring', times: 2 } },
      ],
      size: 2,
    });
  });

  it('random is deterministic for a seed and differs between seeds', () => {
    const draw = 'return { r: [ctx.random(), ctx.random(), ctx.random()] };';
    const a = stateOf(run(draw, { seed: 7 })) as { r: number[] };
    const b = stateOf(run(draw, { seed: 7 })) as { r: number[] };
    const c = stateOf(run(draw, { seed: 8 })) as { r: number[] };
    expect(a).toEqual(b);
    expect(a.r).not.toEqual(c.r);
    for (const x of a.r) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('compileScript: failures', () => {
  it('reports a throwing hook as file:line: message', () => {
    const hook = hooksOf('function look(state) {\n  const x = 1;\n  throw new Error("the fountain is dry");\n}').get('look')!;
    expect(hook(input())).toEqual({ ok: false, error: `${FILE}:3: the fountain is dry` });
  });

  it('times out an infinite loop, and the next call still works', () => {
    const hooks = hooksOf('function spin() { while (true) {} }\nfunction ping(state) { return { pong: true }; }', 200);
    expect(hooks.get('spin')!(input())).toEqual({ ok: false, error: `script timed out after 200 ms in ${FILE} spin` });
    expect(stateOf(hooks.get('ping')!(input()))).toEqual({ pong: true });
    expect(hooks.get('spin')!(input()).ok).toBe(false);
  });

  it('gives each call 50 ms by default', () => {
    const spin = compileScript({ file: FILE, line: 1, code: 'function spin() { while (true) {} }' });
    // The interpreter ends it; on a starved machine its thread may be ended first (world/scripts/script-thread.ts).
    expect(spin.ok && spin.hooks.get('spin')!(input())).toMatchObject({ ok: false, error: expect.stringMatching(new RegExp(`^script timed out after 50 ms in ${FILE} spin($| \\(inside a built-in)`)) });
  });

  it('has no promises, async functions or finalizers, which would run after the turn', () => {
    for (const name of ['Promise', 'FinalizationRegistry', 'WeakRef']) {
      expect(stateOf(run(`return { t: typeof ${name} };`))).toEqual({ t: 'undefined' });
    }
    expect(compileScript({ file: FILE, line: 1, code: 'async function enter() {}' })).toEqual({
      ok: false,
      error: { file: FILE, line: 1, column: 1, message: 'async code is not available in world scripts: a turn runs to completion' },
    });
  });

  it('rejects bad effects with a clear error', () => {
    expect(run('ctx.tell("nobody here", "hi");')).toEqual({
      ok: false, error: `${FILE} enter: ctx.tell: "nobody here" is not a player ref (like player/alice)`,
    });
    expect(run('ctx.tell(ctx.actor, "x".repeat(5000));').ok).toBe(false);
    expect(run('ctx.tellRoom("player/alice", "hi");').ok).toBe(false);
    expect(run('ctx.send("item/bell", { type: "ring", id: "forged" });')).toMatchObject({ ok: false, error: expect.stringContaining("'id'") });
    expect(run('ctx.send("item/bell", "ring");').ok).toBe(false);
    expect(run('for (let i = 0; i < 1001; i++) ctx.tell(ctx.actor, "spam");')).toMatchObject({
      ok: false, error: expect.stringContaining('too many effects'),
    });
  });

  it('rejects a hook that returns something other than a state', () => {
    expect(run('return 5;')).toMatchObject({ ok: false, error: expect.stringContaining('plain object') });
    expect(run('return [1, 2];')).toMatchObject({ ok: false, error: expect.stringContaining('plain object') });
    expect(run('function* gen() { yield 1; }\nreturn gen();')).toMatchObject({ ok: false, error: expect.stringContaining('plain object') });
  });

  it('reports syntax errors at the script line and column', () => {
    const out = compileScript({ file: FILE, line: 1, code: 'function enter() {\n  let x = ;\n}' });
    expect(out).toMatchObject({ ok: false, error: { file: FILE, line: 2, column: 11 } });
  });

  it('offsets positions of inline scripts by their line in the YAML file', () => {
    const out = compileScript({ file: 'rooms.yaml', line: 10, code: 'function enter() {\n  let x = ;\n}' });
    expect(out).toMatchObject({ ok: false, error: { file: 'rooms.yaml', line: 11 } });
    const hook = hooksOf('function a() {}').get('a');
    expect(hook).toBeDefined();
    const thrower = compileScript({ file: 'rooms.yaml', line: 10, code: 'function look() {\n  throw new Error("no");\n}' }, { timeoutMs: RELAXED_MS });
    expect(thrower.ok && thrower.hooks.get('look')!(input())).toEqual({ ok: false, error: 'rooms.yaml:11: no' });
  });

  it('reports a throwing or endless top level as a compile error', () => {
    expect(compileScript({ file: FILE, line: 1, code: '\nthrow new Error("bad start");' })).toMatchObject({
      ok: false, error: { line: 2, message: expect.stringContaining('bad start') },
    });
    expect(compileScript({ file: FILE, line: 1, code: 'while (true) {}' }, { loadTimeoutMs: 20 })).toEqual({
      ok: false, error: { file: FILE, line: 1, column: 1, message: 'script timed out after 20 ms at its top level' },
    });
  });
});

describe('compileScript: isolation', () => {
  const reaches = (expr: string) => run(`let r; try { r = ${expr}; } catch (e) { r = 'blocked'; } return { r: String(r) };`);

  it('has no require, process, module or console', () => {
    for (const name of ['require', 'process', 'module', 'console', 'Buffer', 'setTimeout']) {
      expect(stateOf(run(`return { t: typeof ${name} };`))).toEqual({ t: 'undefined' });
    }
  });

  it('cannot reach the host through constructors', () => {
    expect(stateOf(reaches("globalThis.constructor.constructor('return process')()"))).toEqual({ r: 'blocked' });
    expect(stateOf(reaches("ctx.tell.constructor('return process')()"))).toEqual({ r: 'blocked' });
    expect(stateOf(reaches("ctx.constructor.constructor('return process')()"))).toEqual({ r: 'blocked' });
    expect(stateOf(reaches("(() => {}).constructor('return process')()"))).toEqual({ r: 'blocked' });
    expect(stateOf(reaches("msg.constructor.constructor('return 1')()"))).toEqual({ r: 'blocked' });
  });

  it('has no eval or new Function from strings', () => {
    expect(stateOf(reaches("eval('1')"))).toEqual({ r: 'blocked' });
    expect(stateOf(reaches("new Function('return 1')()"))).toEqual({ r: 'blocked' });
  });

  it('refuses import() at compile time', () => {
    const out = compileScript({ file: FILE, line: 1, code: 'function enter() {\n  return import("node:fs");\n}' });
    expect(out).toEqual({
      ok: false, error: { file: FILE, line: 2, column: 10, message: 'import is not available in world scripts' },
    });
  });

  it('cannot reach host frames through stack-trace hooks', () => {
    expect(stateOf(reaches("(Error.prepareStackTrace = (e, s) => s.map((f) => f.getThis()), 'set')"))).toEqual({ r: 'blocked' });
  });

  it('cannot stash values on globalThis or the built-ins between turns', () => {
    const hooks = hooksOf(`
      function put(state) { globalThis.stash = 'secret'; }
      function get(state) { return { seen: typeof stash }; }
      function patch(state) { Math.stash = 1; }
      function define(state) { Object.defineProperty(globalThis, 'kept', { value: 1 }); }
      function peek(state) { return { kept: typeof kept }; }`);
    const turn = (name: string) => hooks.get(name)!(input());
    expect(turn('put')).toMatchObject({ ok: false, error: expect.stringContaining('globals') });
    expect(stateOf(turn('get'))).toEqual({ seen: 'undefined' });
    expect(turn('patch').ok).toBe(false);
    expect(turn('define').ok).toBe(false);
    expect(stateOf(turn('peek'))).toEqual({ kept: 'undefined' });
  });

  it('cannot replace its own hooks or the built-ins after loading', () => {
    const hooks = hooksOf('function enter(state) { enter = null; }\nfunction look(state) { JSON.parse = null; }\nfunction ok() { return { ok: true }; }');
    expect(hooks.get('enter')!(input()).ok).toBe(true); // its own binding, gone with the call
    expect(hooks.get('enter')!(input()).ok).toBe(true);
    expect(hooks.get('look')!(input()).ok).toBe(false);
    expect(stateOf(hooks.get('ok')!(input()))).toEqual({ ok: true });
  });

  it('survives hostile thrown values without running their code outside the time limit', () => {
    // 200 ms, not 20: on a loaded 2-core machine the interpreter's own start can take 20 ms.
    const getter = 'const e = new Error("x");\nObject.defineProperty(e, "message", { get() { while (true) {} } });\n';
    expect(compileScript({ file: FILE, line: 1, code: `${getter}throw e;` }, { loadTimeoutMs: 200 })).toMatchObject({
      ok: false, error: { message: 'script timed out after 200 ms at its top level' },
    });
    expect(compileScript({ file: FILE, line: 1, code: 'throw new Proxy({}, { getPrototypeOf() { while (true) {} } });' }, { loadTimeoutMs: 200 }))
      .toMatchObject({ ok: false });
    const hook = hooksOf(`function look() {\n${getter}throw e;\n}`, 200).get('look')!;
    expect(hook(input())).toEqual({ ok: false, error: `script timed out after 200 ms in ${FILE} look` });
  });

  it('points builders to ctx for time and randomness', () => {
    expect(run('Math.random();')).toMatchObject({ ok: false, error: expect.stringContaining('ctx.random()') });
    expect(run('Date.now();')).toMatchObject({ ok: false, error: expect.stringContaining('ctx.now()') });
    expect(run('new Date();')).toMatchObject({ ok: false, error: expect.stringContaining('ctx.now()') });
    expect(stateOf(run('return { y: new Date(ctx.now()).getUTCFullYear() };'))).toEqual({ y: 2023 });
  });
});

describe('compileScript: limits', () => {
  it('limits - the top level runs afresh for every call: nothing it makes outlives the call', () => {
    const hooks = hooksOf('const hoard = [];\nlet calls = 0;\nfunction enter(state) { hoard.push(1); calls += 1; return { hoard: hoard.length, calls }; }');
    for (let i = 0; i < 3; i++) expect(stateOf(hooks.get('enter')!(input()))).toEqual({ hoard: 1, calls: 1 });
  });

  it('limits - a memory bomb fails its own call; the next call and other scripts carry on', () => {
    const bomb = hooksOf("function enter() { const all = []; for (;;) all.push(new Array(1e5).fill(1)); }\nfunction look() { return { ok: true }; }");
    const other = hooksOf('function enter(state) { return { n: 1 }; }');
    expect(bomb.get('enter')!(input())).toMatchObject({ ok: false, error: expect.stringMatching(/memory|timed out/) });
    expect(stateOf(bomb.get('look')!(input()))).toEqual({ ok: true });
    expect(stateOf(other.get('enter')!(input()))).toEqual({ n: 1 });
  });

  it('limits - a built-in that never lets the interpreter poll is ended at the budget; every script carries on', () => {
    // JSON.stringify over a large array polls no interrupt: before the script thread, this call never ended.
    const stuck = hooksOf("function enter() { const a = new Array(200000).fill({ a: [1, 2, 3] }); for (;;) JSON.stringify(a); }\nfunction look() {}", 50);
    const other = hooksOf('function enter(state) { return { n: state.n + 1 }; }\nfunction look(state, msg, ctx) { return { here: ctx.here.name }; }');
    expect(stateOf(other.get('enter')!(input({ state: { n: 1 } })))).toEqual({ n: 2 });
    const kills = SCRIPT_THREAD.kills;
    expect(stuck.get('enter')!(input())).toMatchObject({ ok: false, error: expect.stringMatching(/timed out after 50 ms in .* enter \(inside a built-in: its thread was ended; paused 1 s\)/) });
    expect(SCRIPT_THREAD.kills).toBe(kills + 1);
    // Asked at once (the pause is 1 s of wall clock; starting the next script thread can take longer on a loaded machine).
    expect(stuck.get('look')!(input())).toMatchObject({ ok: false, error: expect.stringContaining('is paused for 1 s: it ran past its budget inside a built-in') });
    // Both scripts load again on the new script thread, ctx.here still crosses over.
    expect(stateOf(other.get('enter')!(input({ state: { n: 2 } })))).toEqual({ n: 3 });
    expect(stateOf(other.get('look')!(input({ here: { name: 'Hall', occupantCount: 0, occupants: [], contents: [] } as ScriptInput['here'] })))).toEqual({ here: 'Hall' });
  });

  it('limits - a call answered later waits for a new script thread on the event loop, not here', async () => {
    const other = hooksOf('function enter(state) { return { n: state.n + 1 }; }');
    expect(stateOf(other.get('enter')!(input({ state: { n: 1 } })))).toEqual({ n: 2 });
    const stuck = hooksOf('function enter() { const a = new Array(200000).fill({ a: [1, 2, 3] }); for (;;) JSON.stringify(a); }', 50);
    const kills = SCRIPT_THREAD.kills;
    expect(stuck.get('enter')!(input())).toMatchObject({ ok: false });
    expect(SCRIPT_THREAD.kills).toBe(kills + 1);
    // The ended thread's spare is loading QuickJS now: the call is queued, and this thread goes on meanwhile
    // (before, it waited here for the spare to start, holding every other turn of its thread).
    const answer = other.get('enter')!.later!(input({ state: { n: 2 } }));
    expect(SCRIPT_THREAD.starting).toBe(true);
    expect(stateOf(await answer)).toEqual({ n: 3 });
    expect(SCRIPT_THREAD.starting).toBe(false);
  });

  it('limits - deep recursion is a stack overflow, not a crash', () => {
    expect(run('const down = (n) => down(n + 1) + 1;\nreturn { n: down(0) };')).toMatchObject({ ok: false, error: expect.stringContaining('stack overflow') });
  });

  it('limits - a top level that allocates past its memory is refused at load', () => {
    const out = compileScript({ file: FILE, line: 1, code: "const hoard = [];\nfor (let i = 0; i < 1024; i++) hoard.push('x'.repeat(1 << 20) + i);" });
    expect(out).toMatchObject({ ok: false, error: { message: expect.stringContaining('memory') } });
  });

  it('limits - a forbidden message type written out in a send is refused before the script runs', () => {
    const out = compileScript({ file: FILE, line: 3, code: "function say(state, msg, ctx) {\n  ctx.send('item/bell', { type: 'receive', item: 'item/sword' });\n}" });
    expect(out).toEqual({ ok: false, error: { file: FILE, line: 4, column: 27, message: "scripts may not send 'receive' messages (see the protocol table in docs/WORLD-FILES.md)" } });
    expect(run("ctx.send('item/bell', { type: ['c', 'md'].join('') });")).toMatchObject({ ok: false, error: expect.stringContaining("scripts may not send 'cmd'") });
  });
});
