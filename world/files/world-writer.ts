import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import type { Json } from '../core/types.js';
import { parsedWorldFile } from './parsed-files.js';

// Writes what builders changed from inside the game back into the world's YAML
// files: each changed entry is edited in the document it already lives in, field
// by field, so comments, key order, flow style (`items: [a, b]`) and every entry
// nobody touched stay exactly as they were written. New entries go to the file
// their edit names (created when missing).

/** The top-level sections an edit may change. */
export type EditSection = 'rooms' | 'items' | 'areas';

/** One entry as it should be written, or `null`: removed. `file` is the path
 *  (relative to the world directory, `/`-separated) of the file it lives in, or
 *  is to be added to when new. */
export interface EntryEdit {
  section: EditSection;
  id: string;
  file: string;
  value: Json | null;
  /** The wizard who changed it last. */
  by: string;
}

/** Everything built since the last save: entries by `section/id`, script files by path. */
export interface WorldEdits {
  entries: Record<string, EntryEdit>;
  scripts: Record<string, { code: string; by: string }>;
}

export const NO_EDITS: WorldEdits = { entries: {}, scripts: {} };

export function entryKey(section: EditSection, id: string): string {
  return `${section}/${id}`;
}

/** The files `edits` change, with their new text (files not changed are left out). */
export function writeWorld(files: ReadonlyMap<string, string>, edits: WorldEdits): Map<string, string> {
  // The files as parsed (shared, kept while their text is: read only), and copies of those an edit changes.
  const docs = new Map<string, Document>();
  const doc = (file: string): Document => {
    let d = docs.get(file);
    if (!d) docs.set(file, (d = shallowDoc(parsedWorldFile(files.get(file) ?? '').doc)));
    return d;
  };
  // Only the files an edit changes are printed again: the others are not even candidates for a new text.
  const touched = new Set<string>();
  for (const edit of Object.values(edits.entries)) {
    const home = [...files.keys()].find((f) => parsedWorldFile(files.get(f) ?? '').doc.hasIn([edit.section, edit.id]));
    const d = doc(home ?? edit.file);
    touched.add(home ?? edit.file);
    ownEntry(d, edit.section, edit.id);
    if (edit.value === null) {
      if (home) d.deleteIn([edit.section, edit.id]);
      continue;
    }
    const section = d.get(edit.section, true);
    if (!isMap(section)) d.set(edit.section, d.createNode({}));
    const map = d.get(edit.section, true) as YAMLMap;
    const old = map.get(edit.id, true) as Node | undefined;
    if (old && isMap(old) && isPlainObject(edit.value)) syncMap(d, old, edit.value);
    else map.set(edit.id, fresh(d, edit.value));
  }
  const out = new Map<string, string>();
  for (const [file, d] of docs) {
    if (!touched.has(file)) continue;
    const before = files.get(file) ?? '';
    const text = keepLines(before, d.toString({ lineWidth: 0, flowCollectionPadding: padded(before) }));
    if (text !== before) out.set(file, text);
  }
  for (const [file, { code }] of Object.entries(edits.scripts)) out.set(file, code.endsWith('\n') ? code : `${code}\n`);
  return out;
}

// A copy of a file's document shares the kept parse's nodes: only the path to an entry an edit changes (the top
// map, the section's map, the entry) is copied, as the entry is about to change. A deep clone of a 400-room file
// took 30 ms a command and its garbage as much again.

const owned = new WeakSet<YAMLMap>(); // the section maps a copy has made its own

/** A document whose top map is its own (its items may be replaced); every node below it is the original's. */
function shallowDoc(doc: Document): Document {
  const copy = Object.create(Object.getPrototypeOf(doc), Object.getOwnPropertyDescriptors(doc)) as Document;
  copy.errors = [...doc.errors];
  copy.warnings = [...doc.warnings];
  if (isMap(doc.contents)) copy.contents = shallowMap(doc.contents);
  return copy;
}

function shallowMap(map: YAMLMap): YAMLMap {
  const copy = Object.create(Object.getPrototypeOf(map), Object.getOwnPropertyDescriptors(map)) as YAMLMap;
  copy.items = [...map.items];
  return copy;
}

/** Makes the section's map and the entry's pair (a deep copy) the document's own, before they change. */
function ownEntry(d: Document, section: EditSection, id: string): void {
  const top = d.contents;
  if (!isMap(top)) return; // no sections yet: made new in the copy, the original untouched
  const at = top.items.findIndex((p) => keyText(p.key) === section);
  const pair = top.items[at];
  if (!pair || !isMap(pair.value)) return;
  let map = pair.value as YAMLMap;
  if (!owned.has(map)) {
    map = shallowMap(map);
    owned.add(map);
    top.items[at] = new Pair(pair.key, map);
  }
  const entry = map.items.findIndex((p) => keyText(p.key) === id); // each entry is edited once a write
  if (entry >= 0) map.items[entry] = map.items[entry].clone();
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Makes `node` hold `value`, touching only the keys whose values differ. */
function syncMap(doc: Document, node: YAMLMap, value: { [key: string]: Json }): void {
  for (const pair of [...node.items]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!Object.hasOwn(value, key)) node.delete(key);
  }
  for (const [key, want] of Object.entries(value)) {
    const old = node.get(key, true) as Node | undefined;
    if (old === undefined) node.set(key, fresh(doc, want));
    else if (!sameJson(old.toJSON() as Json, want)) node.set(key, replacement(doc, old, want));
  }
}

/** A new node for `want` where `old` stood: nested maps are synced, and a list or
 *  map written in flow style (`[a, b]`) stays in flow style. */
function replacement(doc: Document, old: Node, want: Json): Node {
  if (isMap(old) && isPlainObject(want)) {
    syncMap(doc, old, want);
    return old;
  }
  const made = fresh(doc, want);
  if ((isSeq(old) || isMap(old)) && (isSeq(made) || isMap(made))) made.flow = old.flow;
  if (isScalar(old) && isScalar(made) && typeof want === 'string' && !want.includes('\n')) made.type = old.type === 'BLOCK_LITERAL' || old.type === 'BLOCK_FOLDED' ? undefined : old.type;
  if (old.comment) made.comment = old.comment;
  if (old.commentBefore) made.commentBefore = old.commentBefore;
  return made;
}

/** A node for a value never written before: several lines as a `|` block, short lists in flow style. */
function fresh(doc: Document, value: Json): Node {
  const node = doc.createNode(value) as Node;
  const style = (n: unknown): void => {
    if (isScalar(n) && typeof n.value === 'string' && n.value.includes('\n')) n.type = Scalar.BLOCK_LITERAL;
    if (isSeq(n)) {
      if (n.items.every((i) => isScalar(i))) (n as YAMLSeq).flow = true;
      n.items.forEach(style);
    }
    if (isMap(n)) for (const p of n.items) style(p.value);
  };
  style(node);
  return node;
}

/** Whether the file mostly writes flow collections with inner spaces (`{ to: x }`) or without (`[a, b]`). */
function padded(text: string): boolean {
  const withSpace = text.match(/[[{] \S/g)?.length ?? 0;
  const without = text.match(/[[{][^\s\]}]/g)?.length ?? 0;
  return withSpace > without;
}

/** The printer writes every flow collection one way and one space before a comment;
 *  a line that differs from one of the original's only in that spacing is the
 *  original's, kept as it was written. */
function keepLines(before: string, after: string): string {
  const squeeze = (line: string) => line.replace(/([[{]) +/g, '$1').replace(/ +([\]}])/g, '$1').replace(/ +#/, ' #');
  const original = new Map(before.split('\n').map((line) => [squeeze(line), line]));
  return after.split('\n').map((line) => original.get(squeeze(line)) ?? line).join('\n');
}

function isPlainObject(v: Json): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
