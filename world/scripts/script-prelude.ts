// The half of the script sandbox that lives inside each script's QuickJS
// context. It runs before the builder's code, keeps its own references to the
// built-ins, then freezes the global object and everything reachable from it.
// The builder's code is installed as a factory: every call runs the script's
// top level afresh and then one hook, so nothing a call makes outlives it but
// the state (kept here between calls, script-vm-state.ts). The host talks to it
// through strings only: `RUN(json)` answers a JSON string.

import { SCRIPT_EFFECTS } from '../core/protocol.js';
import { STATE_STORE_SOURCE } from './script-vm-state.js';

export const RUN = '__mud_run';
export const INSTALL = '__mud_install';
export const DESCRIBE = '__mud_describe';
/** A host function the prelude takes for itself: the current call's `ctx.here`, as JSON. */
export const HERE = '__mud_here';

/** Longest error message a script's failure carries (to the player, to the log); longer ones are cut, saying so. */
export const MAX_ERROR_CHARS = 300;
/** Longest stack kept of a thrown error: enough to find the script's innermost frame. */
const MAX_STACK_CHARS = 2000;

/** A message cut to `max` characters, saying so: as the context cuts a script's own (`cut` in the prelude). */
export function shortened(text: string, max = MAX_ERROR_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}... (cut: ${text.length} characters)` : text;
}

/** Effects a single turn may produce. */
export const MAX_EFFECTS = 1000;

/** The builder's code as the body of a factory returning its hooks, on the
 *  builder's own lines (so errors point into the file). `names` are the script's
 *  top-level functions, found by a first run of the code as a global script. */
export function factorySource(code: string, firstLine: number, names: readonly string[]): string {
  const hooks = names.map((n) => `${JSON.stringify(n)}: typeof ${n} === 'function' ? ${n} : undefined`).join(', ');
  return `${'\n'.repeat(Math.max(0, firstLine - 1))}${INSTALL}(function () { 'use strict'; ${code}\n;return { ${hooks} }; });`;
}

/** Lists the script's own top-level functions after it ran as a global script. */
export const LIST_HOOKS = `JSON.stringify(Object.getOwnPropertyNames(globalThis).filter((k) => !${RUN}.builtins.has(k) && typeof globalThis[k] === 'function'))`;

export const PRELUDE_SOURCE = String.raw`'use strict';
(() => {
  const global = globalThis;
  const EFFECTS = ${JSON.stringify(SCRIPT_EFFECTS)};
  const { create, defineProperty, freeze, getOwnPropertyDescriptor, getPrototypeOf, keys } = Object;
  const { apply, ownKeys } = Reflect;
  const { parse, stringify } = JSON;
  const { isArray } = Array;
  const { imul } = Math;
  const ErrorType = Error, TypeErrorType = TypeError, StringOf = String, ObjectProto = Object.prototype;
  const SetType = Set, setAdd = Set.prototype.add, setHas = Set.prototype.has;
  // ctx.here is asked of the host only when a hook reads it: most hooks never do,
  // and a crowded room's facts cost more to copy in than the rest of a call.
  const hostHere = global['${HERE}'];
  delete global['${HERE}'];

  // Nothing a turn needs. Promises would keep jobs (and memory) queued past the
  // call; eval and new Function would hide what a script sends from the static check.
  for (const name of ['Promise', 'FinalizationRegistry', 'WeakRef', 'SharedArrayBuffer', 'Atomics', 'eval']) {
    delete global[name];
  }
  const noStrings = function () { throw new ErrorType('code from strings is not available in world scripts'); };
  for (const f of [function () {}, function* () {}]) {
    const proto = getPrototypeOf(f);
    defineProperty(proto, 'constructor', { value: noStrings, writable: false, configurable: false });
  }
  noStrings.prototype = getPrototypeOf(function () {});
  defineProperty(global, 'Function', { value: noStrings, writable: false, configurable: false });
  // A re-run turn must see the same time and draw the same numbers: point builders to ctx.
  const noClock = () => { throw new ErrorType('there is no clock in world scripts: use ctx.now()'); };
  defineProperty(Math, 'random', { value: () => { throw new ErrorType('Math.random() is not available: use ctx.random()'); } });
  const RealDate = Date;
  defineProperty(RealDate, 'now', { value: noClock });
  const SafeDate = function Date(...args) {
    if (new.target === undefined || args.length === 0) return noClock();
    return new RealDate(...args);
  };
  SafeDate.prototype = RealDate.prototype;
  SafeDate.now = noClock;
  SafeDate.UTC = RealDate.UTC;
  SafeDate.parse = RealDate.parse;
  defineProperty(RealDate.prototype, 'constructor', { value: SafeDate });
  defineProperty(global, 'Date', { value: SafeDate });

  let factory = null;
  const builtins = new SetType(ownKeys(global));

  const isPlainObject = (v) => typeof v === 'object' && v !== null && !isArray(v)
    && (getPrototypeOf(v) === ObjectProto || getPrototypeOf(v) === null);

  function deepFreeze(value) {
    if (typeof value !== 'object' || value === null) return value;
    for (const key of keys(value)) deepFreeze(value[key]);
    return freeze(value);
  }

  /** Freezes everything reachable from the globals, so no built-in can carry a value from one call to the next. */
  function harden(root) {
    const seen = new SetType();
    const stack = [root];
    while (stack.length > 0) {
      const value = stack.pop();
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue;
      if (apply(setHas, seen, [value])) continue;
      apply(setAdd, seen, [value]);
      freeze(value);
      stack.push(getPrototypeOf(value));
      for (const key of ownKeys(value)) {
        const d = getOwnPropertyDescriptor(value, key);
        stack.push(d.value, d.get, d.set);
      }
    }
  }

  const FROZEN = /not extensible|read-only|non-writable|not configurable/;

  const cut = (text) => text.length > ${MAX_ERROR_CHARS} ? text.slice(0, ${MAX_ERROR_CHARS}) + '... (cut: ' + text.length + ' characters)' : text;
  const stackOf = (e) => StringOf(e.stack).slice(0, ${MAX_STACK_CHARS});

  function describe(e) {
    try {
      if (e instanceof TypeErrorType && FROZEN.test(StringOf(e.message))) {
        return { error: 'scripts cannot keep values in globals or built-ins (' + cut(StringOf(e.message)) + '): keep them in state', stack: stackOf(e) };
      }
      if (e instanceof ErrorType) return { error: cut(StringOf(e.message)), stack: stackOf(e) };
      if (typeof e === 'object' && e !== null) return { error: 'threw a value that is not an Error' };
      return { error: cut('threw ' + StringOf(e)) };
    } catch {
      return { error: 'threw a value that cannot be shown' };
    }
  }

  // One ctx for every call, made and frozen once: its methods act on the call in progress (\`active\`, set for the
  // length of one hook call), so a hook can keep nothing on it, and no call pays for making it
  // (docs/architecture/scripts.md, "The cost of a call").
  let active = null;
  const record = (effect) => {
    const effects = active.effects;
    if (effects.length >= ${MAX_EFFECTS}) throw new ErrorType('too many effects in one turn (the limit is ${MAX_EFFECTS})');
    // A snapshot: changing an object after sending it does not change what was sent.
    effects[effects.length] = parse(stringify(effect));
  };
  const outside = () => { throw new ErrorType('ctx is only for the hook call it was given to'); };
  const current = () => (active === null ? outside() : active);
  const ctx = {
    get self() { return current().input.self; },
    get actor() { const actor = current().input.msg.actor; return typeof actor === 'string' ? actor : null; },
    get here() {
      const c = current();
      if (c.here === undefined) c.here = deepFreeze(parse(hostHere()));
      return c.here;
    },
    now() { return current().input.now; },
    // mulberry32, its state the call's: the same numbers as a generator made for the call.
    random() {
      const c = current();
      c.seed = (c.seed + 0x6d2b79f5) >>> 0;
      let t = c.seed;
      t = imul(t ^ (t >>> 15), t | 1);
      t ^= t + imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
  // One method per effect of the protocol table, its arguments recorded by name.
  for (const name of keys(EFFECTS)) {
    const fields = EFFECTS[name];
    ctx[name] = function (...args) {
      current();
      const effect = { t: name };
      for (let i = 0; i < fields.length; i++) if (args[i] !== undefined) effect[fields[i]] = args[i];
      record(effect);
    };
  }
  // A message to this script's own object later; the id is for ctx.cancel (keep it in state).
  ctx.after = function (ms, msg) {
    const c = current();
    c.timers += 1;
    const id = StringOf(c.input.timerBase) + 's' + c.timers;
    record({ t: 'after', id, ms, msg });
    return id;
  };
  freeze(ctx);

  /** Runs \`hook\` with ctx acting on this call. */
  function withCtx(input, effects, hook, state, msg) {
    active = { input, effects, timers: 0, here: undefined, seed: input.seed >>> 0 };
    try {
      return hook(state, msg, ctx);
    } finally {
      active = null;
    }
  }

  ${STATE_STORE_SOURCE}

  function turn(input) {
    // The first call after sealing runs the top level once more, under the sealed rules.
    if (input.hook === '') {
      if (maxState === 0) maxState = input.maxState;
      factory();
      return '{"effects":[]}';
    }
    const version = versionFor(input);
    if (version === undefined) return '{"missing":true}';
    if (thawed) return call(input, version);
    try {
      return call(input, version);
    } catch (e) {
      // A nested value changed in place (it is frozen): again, on a thawed copy, as this script always will now.
      if (!(e instanceof TypeErrorType) || !FROZEN.test(StringOf(e.message))) throw e;
      thawed = true;
    }
    return call(input, version);
  }

  /** One hook call on a version of the object's state; the new version is kept only once the hook has returned. */
  function call(input, version) {
    const hooks = factory();
    const hook = hooks[input.hook];
    if (typeof hook !== 'function') return stringify({ error: 'no hook ' + input.hook });
    const effects = [];
    const state = stateFor(version);
    const result = withCtx(input, effects, hook, state, deepFreeze(input.msg));
    if (result !== undefined && !isPlainObject(result)) {
      throw new TypeErrorType('a hook must return the new state (a plain object) or nothing');
    }
    // Returning nothing keeps the state, including changes made to it in place.
    const d = diff(version, result === undefined ? state : result);
    if (d !== undefined && d.size > maxState) return stringify({ tooLarge: d.size });
    if (d !== undefined) commit(input.self, version, d, input.next);
    return answer(d, effects, result !== undefined, d === undefined ? version.size : d.size);
  }

  function run(json) {
    try {
      return turn(parse(json));
    } catch (e) {
      return stringify(describe(e));
    }
  }
  run.builtins = builtins;

  /** Takes the builder's factory (once), then seals the context for good. */
  function install(make) {
    if (factory !== null) throw new ErrorType('a script installs itself once');
    factory = make;
    delete run.builtins;
    harden(global);
  }

  defineProperty(global, '${RUN}', { value: run, writable: false, enumerable: false, configurable: false });
  defineProperty(global, '${INSTALL}', { value: install, writable: false, enumerable: false, configurable: false });
  defineProperty(global, '${DESCRIBE}', { value: (e) => stringify(describe(e)), writable: false, enumerable: false, configurable: false });
  for (const name of ['${RUN}', '${INSTALL}', '${DESCRIBE}']) apply(setAdd, builtins, [name]);
})();
`;
