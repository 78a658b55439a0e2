import { isMap, isScalar, type Document, type Node } from 'yaml';
import type { Json } from '../core/types.js';
import { parsedWorldFile } from './parsed-files.js';
import { entryKey, type EditSection, type EntryEdit, type WorldEdits } from './world-writer.js';

/** An entry of the world as the files and the edits since the last save have it. */
export interface SourceEntry {
  file: string;
  value: { [key: string]: Json };
}

/** The world's YAML files (path relative to the world directory -> text) seen
 *  through the edits builders made since the last save: what building commands
 *  read before they change something, and what they change. Parsed once. */
export class WorldSource {
  private readonly parsed = new Map<EditSection, Map<string, SourceEntry>>();
  /** The edits so far, this command's own included (a copy: the one passed in is not changed). */
  readonly edits: WorldEdits;

  constructor(readonly files: ReadonlyMap<string, string>, edits: WorldEdits) {
    this.edits = { entries: { ...edits.entries }, scripts: { ...edits.scripts } };
    for (const section of SECTIONS) this.parsed.set(section, new Map());
    for (const [file, text] of files) {
      const found = entriesOf(parsedWorldFile(text).doc);
      for (const section of SECTIONS) {
        const into = this.parsed.get(section)!;
        for (const [id, value] of found[section]) if (!into.has(id)) into.set(id, { file, value });
      }
    }
  }

  entry(section: EditSection, id: string): SourceEntry | undefined {
    const edit = this.edits.entries[entryKey(section, id)];
    if (edit) return edit.value === null || !isObject(edit.value) ? undefined : { file: edit.file, value: edit.value };
    return this.parsed.get(section)!.get(id);
  }

  /** Every entry of a section, edits applied. */
  all(section: EditSection): Map<string, SourceEntry> {
    const out = new Map(this.parsed.get(section)!);
    for (const edit of Object.values(this.edits.entries)) {
      if (edit.section !== section) continue;
      if (edit.value === null || !isObject(edit.value)) out.delete(edit.id);
      else out.set(edit.id, { file: edit.file, value: edit.value });
    }
    return out;
  }

  /** Records an entry's new value (`null`: removed), in `file` when it is new. */
  set(section: EditSection, id: string, value: { [key: string]: Json } | null, by: string, file?: string): void {
    const where = this.entry(section, id)?.file ?? this.parsed.get(section)!.get(id)?.file ?? file;
    if (!where) throw new Error(`no file for new ${section} entry ${id}`);
    const edit: EntryEdit = { section, id, file: where, value, by };
    this.edits.entries[entryKey(section, id)] = edit;
  }

  /** The text of a script file (path relative to the world), as edited or undefined when not edited. */
  editedScript(path: string): string | undefined {
    return this.edits.scripts[path]?.code;
  }

  setScript(path: string, code: string, by: string): void {
    this.edits.scripts[path] = { code, by };
  }
}

const SECTIONS = ['rooms', 'items', 'areas'] as const;

type FileEntries = Record<EditSection, Array<[id: string, value: { [key: string]: Json }]>>;
const read = new WeakMap<Document, FileEntries>();

/** A file's entries, read once per parse (parsed-files.ts keeps the parse). Frozen: an edit makes new values
 *  (`{ ...old, desc }`), it never changes these. */
function entriesOf(doc: Document): FileEntries {
  let found = read.get(doc);
  if (found) return found;
  found = { rooms: [], items: [], areas: [] };
  for (const section of SECTIONS) {
    const map = doc.get(section, true) as Node | undefined;
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const value = (pair.value as Node | null)?.toJSON() as Json;
      if (isObject(value)) found[section].push([id, deepFreeze(value)]);
    }
  }
  read.set(doc, found);
  return found;
}

function deepFreeze<T extends Json>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner as Json);
    Object.freeze(value);
  }
  return value;
}

export function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
