// A room's list of occupants changed by one entry, as a new array of exactly the size it needs: `filter` and a
// spread grow their result as they go, about twice the bytes of a plaza of 200 on every arrival and departure,
// and take two to four times as long (docs/BENCHMARKS.md, "Bytes allocated per command").

/** A copy of `list` without `ref` (every copy of it). */
export function withoutRef<T>(list: readonly T[], ref: T): T[] {
  const at = list.indexOf(ref);
  if (at < 0) return list.slice();
  if (list.lastIndexOf(ref) !== at) return list.filter((r) => r !== ref);
  const out = list.slice();
  out.splice(at, 1);
  return out;
}

/** A copy of `list` with `ref` last. */
export function withRef<T>(list: readonly T[], ref: T): T[] {
  return list.concat([ref]);
}
