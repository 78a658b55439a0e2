import type { Json, Ref } from '../core/types.js';

// The host's half of script state kept in the VM (script-vm-state.ts): which
// host objects are which versions of an object's state inside the script's
// context. Turns never change a state object once made (handlers return new
// ones), so an object the context was sent, or one this side built from its
// answer, stays that version for good: a call on it sends the version's number,
// not the state. Anything else (a record read back from a store, a state the
// context has dropped) is sent as the keys that differ from the last version
// the context had of that object (a record another node wrote differs from this
// node's last in a key or two), or whole when there is none, and is that version
// from then on.

/** Objects whose last version this side remembers, for deltas (the context keeps fewer: script-vm-state.ts). */
const REMEMBERED = 64;

/** What to send for a state the context does not have as a version: the keys that differ from one it has, or all. */
export type Delta = { from: number; keys: string[]; changed: Record<string, Json> };

export class HostVersions {
  private readonly tags = new WeakMap<object, { self: Ref; v: number }>();
  /** Per object, the last state the context was sent or answered, most recently used last. */
  private readonly latest = new Map<Ref, { state: Json; v: number }>();
  private counter = 0;

  /** A version number not used before. */
  fresh(): number {
    return ++this.counter;
  }

  /** The version `state` is for `self` inside the context, if it is one. */
  of(state: Json, self: Ref): number | undefined {
    if (typeof state !== 'object' || state === null) return undefined;
    const tag = this.tags.get(state);
    return tag !== undefined && tag.self === self ? tag.v : undefined;
  }

  tag(state: Json, self: Ref, v: number): void {
    if (typeof state !== 'object' || state === null) return;
    this.tags.set(state, { self, v });
    this.latest.delete(self);
    this.latest.set(self, { state, v });
    if (this.latest.size > REMEMBERED) this.latest.delete(this.latest.keys().next().value!);
  }

  /** `state` as the keys that differ from the last version of `self` the context had, if there is one. */
  delta(state: Json, self: Ref): Delta | undefined {
    const last = this.latest.get(self);
    if (!last || !isRecord(state) || !isRecord(last.state)) return undefined;
    const keys = Object.keys(state);
    const changed: Record<string, Json> = {};
    for (const key of keys) {
      if (!Object.hasOwn(last.state, key) || !sameJson(state[key], last.state[key])) setOwn(changed, key, state[key]);
    }
    return { from: last.v, keys, changed };
  }

  /** The new state from the context's answer: its keys in order, the unchanged values taken from `base`, the
   *  changed ones as it sent them; tagged as version `v`. The answer names a key of `base` as unchanged only
   *  when `base` is the version the call started from, so the values are the same. */
  next(base: Json, keys: string[], changed: Record<string, Json>, self: Ref, v: number): Json {
    const from = base as Record<string, Json>;
    const state: Record<string, Json> = {};
    for (const key of keys) {
      const value = Object.hasOwn(changed, key) ? changed[key] : from[key];
      setOwn(state, key, value);
    }
    this.tag(state, self, v);
    return state;
  }
}

/** As JSON.parse sets a key: an own property, even for `__proto__`. */
function setOwn(object: Record<string, Json>, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether two JSON values have the same JSON text (keys in the same order), without making it. */
export function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || !sameJson(a[ka[i]], b[kb[i]])) return false;
  return true;
}
