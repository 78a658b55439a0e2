// The JSON text of a value written to a store. An object's record carries its
// dedupe window (world/core/turn.ts: the last 16 turns' ids and the messages they
// sent), most of a record's text, and each write of the object repeats 15 of the
// 16 entries of the write before. Entries never change once made, so each is
// serialised once and its text reused while it stays in the window (or is held past it: `held`,
// world/core/outbox-hold.ts).

import type { Json } from '../world/core/types.js';

const entryText = new WeakMap<object, string>();
/** An entry's kept effects, most of its text: an entry is made again around the same effects when its
 *  outbox no longer needs holding (world/core/outbox-hold.ts `answeredHere`), and they are not serialised twice. */
const effectsText = new WeakMap<object, string>();

/** JSON.stringify's text for `value` (the same keys in the same order); rejects
 *  what JSON cannot hold rather than storing it wrongly (`undefined` would
 *  otherwise vanish, a BigInt would throw later). */
export function toJsonText(value: Json): string {
  const recent = windowOf(value);
  const json = recent ? recordText(value as { [key: string]: Json }) : JSON.stringify(value);
  if (json === undefined) throw new TypeError(`not a JSON value: ${String(value)}`);
  return json;
}

function windowOf(value: Json): Json[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const recent = value.recent;
  return Array.isArray(recent) && recent.length > 1 ? recent : undefined;
}

function recordText(record: { [key: string]: Json }): string {
  let out = '{';
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (v === undefined) continue; // as JSON.stringify leaves it out
    if (out.length > 1) out += ',';
    out += JSON.stringify(key);
    out += ':';
    out += key === 'recent' || key === 'held' ? windowText(v as Json[]) : JSON.stringify(v);
  }
  return out + '}';
}

function windowText(entries: Json[]): string {
  let out = '[';
  for (let i = 0; i < entries.length; i++) {
    if (i > 0) out += ',';
    const e = entries[i];
    if (typeof e !== 'object' || e === null) {
      out += JSON.stringify(e) ?? 'null';
      continue;
    }
    let text = entryText.get(e);
    if (text === undefined) {
      text = entryJson(e);
      entryText.set(e, text);
    }
    out += text;
  }
  return out + ']';
}

/** JSON.stringify's text for a window entry ([id, effects, time, ...]), its effects' text reused. */
function entryJson(e: object): string {
  if (!Array.isArray(e) || !Array.isArray(e[1])) return JSON.stringify(e);
  const effects = e[1] as Json[];
  let fx = effectsText.get(effects);
  if (fx === undefined) {
    fx = JSON.stringify(effects);
    effectsText.set(effects, fx);
  }
  let out = `[${JSON.stringify(e[0]) ?? 'null'},${fx}`;
  for (let i = 2; i < e.length; i++) out += `,${JSON.stringify(e[i]) ?? 'null'}`;
  return `${out}]`;
}
