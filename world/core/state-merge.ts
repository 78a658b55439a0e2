import type { Json } from './types.js';

// The merge algebra of function mode's commits (docs/architecture/mergeable-state.md):
// changes to an object's state that commute, so a write that lost a
// compare-and-swap can be replayed on the newer record instead of re-running its
// turn. Only what a kind uses is here: a set of refs kept as an array of
// distinct strings in arrival order (a room's occupants). Adding an element is
// "append it unless present", removing one is "drop it": two changes to
// different elements commute; two to the same element leave what the later
// one says, which is what running the later turn on the newer record does.

/** One commuting change to a set-valued field of a state object. */
export type SetOp = { field: string; add: string } | { field: string; remove: string };

type StateObject = { [key: string]: Json };

/** `state` with each op applied in order. Fields the ops do not name keep their very values. */
export function applyOps(state: Json, ops: readonly SetOp[]): Json {
  if (ops.length === 0) return state;
  const next: StateObject = { ...(state as StateObject) };
  for (const op of ops) next[op.field] = applySetOp(setOf(next[op.field]), op);
  return next as Json;
}

function applySetOp(set: readonly string[], op: SetOp): string[] {
  if ('add' in op) return set.includes(op.add) ? [...set] : [...set, op.add];
  return set.filter((e) => e !== op.remove);
}

function setOf(value: Json | undefined): readonly string[] {
  return Array.isArray(value) ? (value as string[]) : [];
}

/** Whether `after` is exactly `before` with `ops` applied: the fields the ops name
 *  hold what the ops make of them, and every other field is the very same value
 *  (handlers spread the old state into the new one, so an untouched field keeps
 *  its reference; one a handler or a script rebuilt does not). */
export function changedExactly(before: Json, after: Json, ops: readonly SetOp[]): boolean {
  if (!isObject(before) || !isObject(after)) return false;
  const named = new Set(ops.map((op) => op.field));
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) if (!named.has(key) && before[key] !== after[key]) return false;
  const expected = applyOps(before, ops) as StateObject;
  for (const field of named) {
    const want = setOf(expected[field]);
    const got = after[field];
    if (!Array.isArray(got) || got.length !== want.length || got.some((e, i) => e !== want[i])) return false;
  }
  return true;
}

/** The state less the fields a kind merges: what must be as a turn read it for its delta to be replayed. */
export function unmerged(state: Json, fields: readonly string[]): Json {
  if (!isObject(state)) return state;
  const rest: StateObject = {};
  for (const [key, value] of Object.entries(state)) if (!fields.includes(key)) rest[key] = value;
  return rest as Json;
}

function isObject(value: Json): value is StateObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
