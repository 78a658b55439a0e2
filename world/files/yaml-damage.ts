import { isMap, isPair, type Document, type LineCounter } from 'yaml';

/** Lines `[from, to]` of a file whose reading a YAML syntax error spoils. */
export type DamagedLines = Array<[from: number, to: number]>;

/** Where a file's syntax errors leave its recovered document untrustworthy: the
 *  entries (`rooms.cellar`, `items.sword`, `world`) holding an error, so the rest
 *  of the file can still be checked in the same run; `whole` when an error sits
 *  outside every entry (the file's shape itself is broken). The yaml library keeps
 *  parsing after an error, but what it makes of the damaged entry is a guess. */
export function damagedLines(doc: Document, lines: LineCounter): DamagedLines | 'whole' {
  const entries = entryRanges(doc);
  const damaged: DamagedLines = [];
  for (const e of doc.errors) {
    const at = e.pos[0];
    // An error at the very end (an unclosed bracket) belongs to the last entry.
    const hit = entries.find(([from, to]) => at >= from && at <= to) ?? (at >= (entries.at(-1)?.[1] ?? Infinity) ? entries.at(-1) : undefined);
    if (!hit) return 'whole';
    // An entry's range ends where the next one starts: that offset's line is the next entry's.
    damaged.push([lines.linePos(hit[0]).line, lines.linePos(Math.max(hit[0], hit[1] - 1)).line]);
  }
  return damaged;
}

export function isDamaged(line: number, damaged: DamagedLines): boolean {
  return damaged.some(([from, to]) => line >= from && line <= to);
}

/** Offsets of each second-level entry (a room, an item) and of `world`. */
function entryRanges(doc: Document): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!isMap(doc.contents)) return out;
  for (const top of doc.contents.items) {
    const key = isPair(top) ? (top.key as { value?: unknown; range?: [number, number, number] } | null) : null;
    const value = top.value as { range?: [number, number, number] } | null;
    if (key?.value === 'world' && key.range) out.push([key.range[0], value?.range?.[1] ?? key.range[1]]);
    else if (isMap(top.value)) {
      for (const entry of top.value.items) {
        const k = entry.key as { range?: [number, number, number] } | null;
        const v = entry.value as { range?: [number, number, number] } | null;
        if (k?.range) out.push([k.range[0], v?.range?.[1] ?? k.range[1]]);
      }
    }
  }
  return out;
}
