// The half of the script sandbox that lives inside each script's QuickJS
// context. It runs before the builder's code, keeps its own references to the
// built-ins, then freezes the global object and everything reachable from it.
// The builder's code is installed as a factory: every call runs the script's
// top level afresh and then one hook, so nothing a call makes outlives it (no
// state between calls but what comes back as `state`). The host talks to it
// through strings only: `RUN(json)` answers a JSON string.

import { SCRIPT_EFFECTS } from './protocol.js';

export const RUN = '__mud_run';
export const INSTALL = '__mud_install';
export const DESCRIBE = '__mud_describe';
/** A host function the prelude takes for itself: the current call's `ctx.here`, as JSON. */
export const HERE = '__mud_here';

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

  function describe(e) {
    try {
      if (e instanceof TypeErrorType && FROZEN.test(StringOf(e.message))) {
        return { error: 'scripts cannot keep values in globals or built-ins (' + StringOf(e.message) + '): keep them in state', stack: StringOf(e.stack) };
      }
      if (e instanceof ErrorType) return { error: StringOf(e.message), stack: StringOf(e.stack) };
      if (typeof e === 'object' && e !== null) return { error: 'threw a value that is not an Error' };
      return { error: 'threw ' + StringOf(e) };
    } catch {
      return { error: 'threw a value that cannot be shown' };
    }
  }

  function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = imul(t ^ (t >>> 15), t | 1);
      t ^= t + imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function makeCtx(input, effects) {
    let here;
    const record = (effect) => {
      if (effects.length >= ${MAX_EFFECTS}) throw new ErrorType('too many effects in one turn (the limit is ${MAX_EFFECTS})');
      // A snapshot: changing an object after sending it does not change what was sent.
      effects[effects.length] = parse(stringify(effect));
    };
    let timers = 0;
    const ctx = {
      self: input.self,
      actor: typeof input.msg.actor === 'string' ? input.msg.actor : null,
      get here() {
        if (here === undefined) here = deepFreeze(parse(hostHere()));
        return here;
      },
      now() { return input.now; },
      random: mulberry32(input.seed),
    };
    // One method per effect of the protocol table, its arguments recorded by name.
    for (const name of keys(EFFECTS)) {
      const fields = EFFECTS[name];
      ctx[name] = function (...args) {
        const effect = { t: name };
        for (let i = 0; i < fields.length; i++) if (args[i] !== undefined) effect[fields[i]] = args[i];
        record(effect);
      };
    }
    // A message to this script's own object later; the id is for ctx.cancel (keep it in state).
    ctx.after = function (ms, msg) {
      timers += 1;
      const id = StringOf(input.timerBase) + 's' + timers;
      record({ t: 'after', id, ms, msg });
      return id;
    };
    return freeze(ctx);
  }

  function turn(input) {
    const hooks = factory();
    const hook = input.hook === '' ? () => undefined : hooks[input.hook];
    if (typeof hook !== 'function') return { error: 'no hook ' + input.hook };
    const state = isPlainObject(input.state) ? input.state : {};
    const before = stringify(state);
    const effects = [];
    const result = hook(state, deepFreeze(input.msg), makeCtx(input, effects));
    if (result !== undefined && !isPlainObject(result)) {
      throw new TypeErrorType('a hook must return the new state (a plain object) or nothing');
    }
    // Returning nothing keeps the state, including changes made to it in place.
    const text = stringify(result === undefined ? state : result);
    return { state: result === undefined && text === before ? undefined : parse(text), effects };
  }

  function run(json) {
    let out;
    try {
      out = turn(parse(json));
    } catch (e) {
      out = describe(e);
    }
    return stringify(out);
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
