// The half of script state that lives inside a script's QuickJS context: the
// state of each object the script runs for, kept between calls, so a call moves
// only what changed (docs/architecture/scripts.md, "State in the VM").
//
// A version is the state as one call left it: its keys in order and, per key, a
// value frozen all the way down and the length of its JSON. A hook gets a fresh
// shallow copy of the top level (its own to change in place); the values under
// it are the frozen ones, shared with the version, so nothing a hook does reaches
// a version: a hook that throws or runs out of budget leaves it exactly as it was,
// with nothing to undo. After a call each key is compared with the version's:
// the same value, or JSON of the same text, is unchanged; the rest are the only
// JSON that leaves the context. A hook that changes a nested value in place (it
// finds it frozen) runs again on a thawed copy, and the script keeps thawed copies
// from then on: slower, the same outcome as before this runtime.
//
// The source below is spliced into the prelude (script-prelude.ts) and uses the
// built-ins the prelude took before it froze them.

/** Objects whose state one script's context keeps at once (a script shared by shards or respawned copies). */
export const KEPT_VERSIONS = 16;
/** JSON characters of kept state, all objects together, past which the least recently used are dropped
 *  (four states at the limit of script-effects.ts; the limit itself comes with the first call, `maxState`,
 *  as script-effects.ts imports the prelude). */
export const KEPT_STATE_CHARS = 256 * 1024;

export const STATE_STORE_SOURCE = String.raw`
  /** The largest state, as JSON: set by the host's first call, before any hook runs. */
  let maxState = 0;
  const MapType = Map, mapGet = Map.prototype.get, mapSet = Map.prototype.set, mapDelete = Map.prototype.delete;
  const mapKeys = Map.prototype.keys, iterNext = getPrototypeOf(new Map().keys()).next;
  const hasOwnProperty = ObjectProto.hasOwnProperty;
  const hasOwn = (object, key) => apply(hasOwnProperty, object, [key]);
  /** self -> { cur, prev }: the version the last call left, and the one it started from (the host may drop a call's outcome). */
  const kept = new MapType();
  let keptChars = 0;
  /** Set once a hook changed a nested value in place: this script's hooks get thawed copies from then on. */
  let thawed = false;

  const setOwn = (object, key, value) => {
    if (key === '__proto__') defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    else object[key] = value;
  };

  /** A version from a state the host sent (already parsed from the call's JSON). */
  function versionOf(v, state) {
    const version = { v, keys: keys(state), values: create(null), sizes: create(null), size: 0 };
    for (const key of version.keys) {
      version.values[key] = deepFreeze(state[key]);
      version.sizes[key] = stringify(state[key]).length;
    }
    version.size = sizeOf(version.keys, version.sizes);
    return version;
  }

  function sizeOf(names, sizes) {
    let size = 2 + (names.length > 0 ? names.length - 1 : 0);
    for (const key of names) size += stringify(key).length + 1 + sizes[key];
    return size;
  }

  /** The version a call starts from: the one the host names, if this context still has it. */
  function versionFor(input) {
    if (input.state !== undefined) {
      // The host's object is this version from now on, whatever the call comes to.
      const version = versionOf(input.v, isPlainObject(input.state) ? input.state : {});
      keep(input.self, { cur: version, prev: undefined });
      return version;
    }
    if (input.from !== undefined) {
      const from = kept1(input.self, input.from);
      if (from === undefined) return undefined;
      const version = patched(from, input);
      keep(input.self, { cur: version, prev: undefined });
      return version;
    }
    return kept1(input.self, input.v);
  }

  /** The version v of an object's state, if this context still keeps it. */
  function kept1(self, v) {
    const slot = apply(mapGet, kept, [self]);
    if (slot === undefined) return undefined;
    if (slot.cur.v === v) return slot.cur;
    if (slot.prev !== undefined && slot.prev.v === v) return slot.prev;
    return undefined;
  }

  /** A version from a delta the host sent: the keys in order, those not in \`changed\` as they are in \`from\`. */
  function patched(from, input) {
    const version = { v: input.v, keys: input.keys, values: create(null), sizes: create(null), size: 0 };
    for (const key of version.keys) {
      if (hasOwn(input.changed, key)) {
        version.values[key] = deepFreeze(input.changed[key]);
        version.sizes[key] = stringify(input.changed[key]).length;
      } else {
        version.values[key] = from.values[key];
        version.sizes[key] = from.sizes[key];
      }
    }
    version.size = sizeOf(version.keys, version.sizes);
    return version;
  }

  /** What the hook gets: its own top level over the version's frozen values, or a thawed copy. */
  function stateFor(version) {
    const state = {};
    for (const key of version.keys) setOwn(state, key, version.values[key]);
    return thawed ? parse(stringify(state)) : state;
  }

  /** The hook's new state against the version: undefined when the same, else the keys and the JSON of the changed values. */
  function diff(version, result) {
    // A state with its own toJSON says what it is as a whole: take it at its word.
    const next = typeof result.toJSON === 'function' ? parse(stringify(result)) : result;
    // Most hooks leave most states as they were: the same keys in the same order, each the very value kept.
    const own = keys(next);
    if (own.length === version.keys.length) {
      let i = 0;
      while (i < own.length && own[i] === version.keys[i] && next[own[i]] === version.values[own[i]]) i++;
      if (i === own.length) return undefined;
    }
    const names = [];
    const changed = [];
    const sizes = create(null);
    let same = true;
    for (const key of own) {
      const value = next[key];
      const had = hasOwn(version.values, key);
      if (had && value === version.values[key]) {
        names[names.length] = key;
        sizes[key] = version.sizes[key];
        continue;
      }
      const text = stringify(value);
      if (text === undefined) continue;
      names[names.length] = key;
      sizes[key] = text.length;
      if (had && version.sizes[key] === text.length && stringify(version.values[key]) === text) continue;
      same = false;
      changed[changed.length] = key;
      changed[changed.length] = text;
    }
    if (same && names.length === version.keys.length) {
      let i = 0;
      while (i < names.length && names[i] === version.keys[i]) i++;
      if (i === names.length) return undefined;
    }
    return { names, changed, sizes, size: sizeOf(names, sizes) };
  }

  /** Keeps the call's outcome as the object's version, the one it started from as the one before. */
  function commit(self, version, d, v) {
    const next = { v, keys: d.names, values: create(null), sizes: d.sizes, size: d.size };
    for (const key of d.names) next.values[key] = version.values[key];
    for (let i = 0; i < d.changed.length; i += 2) next.values[d.changed[i]] = deepFreeze(parse(d.changed[i + 1]));
    keep(self, { cur: next, prev: version });
  }

  /** Keeps a slot, most recently used last; the least recently used go past the bounds. */
  function keep(self, slot) {
    const old = apply(mapGet, kept, [self]);
    if (old !== undefined) {
      keptChars -= old.cur.size;
      apply(mapDelete, kept, [self]);
    }
    apply(mapSet, kept, [self, slot]);
    keptChars += slot.cur.size;
    while (kept.size > ${KEPT_VERSIONS} || (keptChars > ${KEPT_STATE_CHARS} && kept.size > 1)) {
      const oldest = apply(iterNext, apply(mapKeys, kept, []), []).value;
      keptChars -= apply(mapGet, kept, [oldest]).cur.size;
      apply(mapDelete, kept, [oldest]);
    }
  }

  /** The answer's JSON, built from the texts already made: the changed values are not stringified twice.
   *  A hook that returned its state unchanged answers "same" (the host hands back the state it gave).
   *  \`size\`: the state's length as JSON as the call leaves it, known here already (versions keep it). */
  function answer(d, effects, returned, size) {
    if (d === undefined) return (returned ? '{"same":true,' : '{') + '"size":' + size + ',"effects":' + stringify(effects) + '}';
    let changed = '';
    for (let i = 0; i < d.changed.length; i += 2) {
      changed += (i === 0 ? '' : ',') + stringify(d.changed[i]) + ':' + d.changed[i + 1];
    }
    return '{"keys":' + stringify(d.names) + ',"changed":{' + changed + '},"size":' + size + ',"effects":' + stringify(effects) + '}';
  }
`;
