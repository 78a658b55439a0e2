// The half of the script sandbox that lives inside each script's vm context.
// It is plain JavaScript, run before the builder's code, so it can keep its own
// references to the built-ins (JSON, Object.freeze, ...) however the script
// later rearranges them. The host talks to it through strings only: it writes
// a JSON string to INPUT and runs `RUN()`, which answers with a JSON string.
// That way no host object ever enters the context (a host object leads to the
// host's Function constructor, and from there to `process`).

export const INPUT = '__mud_input';
export const THROWN = '__mud_thrown';
export const RUN = '__mud_run';
export const LOCKDOWN = '__mud_lockdown';
export const DESCRIBE = '__mud_describe';

/** The hook name of a warm-up call: a no-op that takes the whole path of a turn. */
export const WARM_UP = '';

/** Effects a single turn may produce. */
export const MAX_EFFECTS = 1000;

export const PRELUDE_SOURCE = String.raw`'use strict';
(() => {
  const global = globalThis;
  const { create, defineProperty, freeze, getOwnPropertyDescriptor, getPrototypeOf, keys } = Object;
  const { apply, construct, deleteProperty, ownKeys } = Reflect;
  const { parse, stringify } = JSON;
  const { isArray } = Array;
  const { imul } = Math;
  const ErrorType = Error, TypeErrorType = TypeError, StringOf = String, ObjectProto = Object.prototype;
  const SetType = Set, setAdd = Set.prototype.add, setHas = Set.prototype.has;
  const lock = (name, value, writable = false) =>
    defineProperty(global, name, { value, writable, enumerable: false, configurable: false });

  // Nothing a turn needs; each a way to stall the host or to share memory. Promises
  // and finalizers would also run code after the turn, outside its time limit (and
  // an unhandled rejection would take the host process down with it).
  for (const name of ['console', 'SharedArrayBuffer', 'Atomics', 'WebAssembly', 'Promise', 'FinalizationRegistry', 'WeakRef']) {
    delete global[name];
  }
  delete Array.fromAsync;
  // V8 hands stack-trace hooks the host's frames: keep the hook out of reach.
  defineProperty(ErrorType, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });
  // A re-run turn must see the same time and draw the same numbers: point builders to ctx.
  const noClock = () => { throw new ErrorType('there is no clock in world scripts: use ctx.now()'); };
  defineProperty(Math, 'random', { value: () => { throw new ErrorType('Math.random() is not available: use ctx.random()'); } });
  const RealDate = Date;
  defineProperty(RealDate, 'now', { value: noClock });
  const SafeDate = new Proxy(RealDate, {
    apply: noClock,
    construct: (target, args, newTarget) => (args.length === 0 ? noClock() : construct(target, args, newTarget)),
  });
  defineProperty(RealDate.prototype, 'constructor', { value: SafeDate });
  defineProperty(global, 'Date', { value: SafeDate });

  let hooks = create(null);
  let allowed = null;
  const builtins = new SetType(ownKeys(global));
  for (const name of ['${INPUT}', '${THROWN}', '${RUN}', '${LOCKDOWN}', '${DESCRIBE}']) apply(setAdd, builtins, [name]);

  const isPlainObject = (v) => typeof v === 'object' && v !== null && !isArray(v)
    && (getPrototypeOf(v) === ObjectProto || getPrototypeOf(v) === null);

  function deepFreeze(value) {
    if (typeof value !== 'object' || value === null) return value;
    for (const key of keys(value)) deepFreeze(value[key]);
    return freeze(value);
  }

  /** Freezes everything reachable from the globals, so no built-in can carry a value from one turn to the next. */
  function harden(root, seen) {
    const stack = create(null);
    let n = 0;
    stack[n++] = root;
    while (n > 0) {
      const value = stack[--n];
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null || value === global) continue;
      if (apply(setHas, seen, [value])) continue;
      apply(setAdd, seen, [value]);
      freeze(value);
      stack[n++] = getPrototypeOf(value);
      for (const key of ownKeys(value)) {
        const d = getOwnPropertyDescriptor(value, key);
        stack[n++] = d.value; stack[n++] = d.get; stack[n++] = d.set;
      }
    }
  }

  function lockdown() {
    try {
      const seen = new SetType();
      for (const key of ownKeys(global)) {
        const d = getOwnPropertyDescriptor(global, key);
        if (!apply(setHas, builtins, [key]) && typeof key === 'string' && typeof d.value === 'function') hooks[key] = d.value;
        if (key === '${INPUT}' || key === '${THROWN}') continue;
        if ('value' in d) d.writable = false;
        d.configurable = false;
        defineProperty(global, key, d);
        harden(d.value, seen); harden(d.get, seen); harden(d.set, seen);
      }
      allowed = new SetType(ownKeys(global));
      return stringify({ hooks: keys(hooks) });
    } catch (e) {
      return stringify(describe(e));
    }
  }

  /** The global object cannot be frozen (it is the vm's proxy), so names a turn
   *  adds are removed; one that cannot be removed taints the context. */
  function sweep() {
    let stray = '', tainted = false;
    for (const key of ownKeys(global)) {
      if (apply(setHas, allowed, [key])) continue;
      stray = StringOf(key);
      if (!deleteProperty(global, key)) tainted = true;
    }
    return { stray, tainted };
  }

  function describe(e) {
    try {
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
    const record = (effect) => {
      if (effects.length >= ${MAX_EFFECTS}) throw new ErrorType('too many effects in one turn (the limit is ${MAX_EFFECTS})');
      // A snapshot: changing an object after sending it does not change what was sent.
      effects[effects.length] = parse(stringify(effect));
    };
    return freeze({
      self: input.self,
      actor: typeof input.msg.actor === 'string' ? input.msg.actor : null,
      here: deepFreeze(input.here),
      tell(to, text) { record({ t: 'tell', to, text }); },
      tellRoom(room, text, except) { record(except === undefined ? { t: 'tellRoom', room, text } : { t: 'tellRoom', room, text, except }); },
      send(to, msg) { record({ t: 'send', to, msg }); },
      now() { return input.now; },
      random: mulberry32(input.seed),
    });
  }

  function turn(input) {
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

  function run() {
    const input = parse(global['${INPUT}']);
    sweep();
    let out;
    try {
      out = turn(input);
    } catch (e) {
      out = describe(e);
    }
    const { stray, tainted } = sweep();
    if (stray) out = { error: 'scripts cannot keep values in globals (' + stray + '): keep them in state', tainted };
    return stringify(out);
  }

  lock('${INPUT}', '', true);
  lock('${THROWN}', undefined, true);
  lock('${RUN}', run);
  lock('${LOCKDOWN}', lockdown);
  lock('${DESCRIBE}', () => stringify(describe(global['${THROWN}'])));
})();
`;
