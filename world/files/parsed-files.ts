import { LineCounter, parseDocument, type Document } from 'yaml';
import { KeptByText } from './kept-by-text.js';

// A building command reads every world file (world-source.ts), edits one (world-writer.ts) and checks the
// result with the loader, and the files on disk do not change from one command to the next. On a one-file world
// of 400 rooms each parse held the thread that serves the players for 70-220 ms, three times a command. So the
// building commands keep a file's parse while its text is the same, and the loader takes a kept parse where
// there is one. The loader alone keeps nothing: a server nobody builds on holds no parse (about 23 bytes of
// heap a character of YAML), and up to 1 MiB of text is kept in all.

const kept = new KeptByText<ParsedFile>(1024 * 1024);

/** A world file's YAML: the document and where its lines start. Shared when kept: never change it (the writer
 *  copies the path to the entry it edits, world-writer.ts). */
export interface ParsedFile {
  doc: Document;
  lines: LineCounter;
}

/** A parse of `text` as the loader reads world files (duplicate keys are found by the reader, which names them;
 *  errors without the printed excerpt). */
export function parseWorldFile(text: string): ParsedFile {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false }), lines };
}

/** The kept parse of `text`, if some building command kept it. */
export function keptWorldFile(text: string): ParsedFile | undefined {
  return kept.get(text);
}

/** The parse of `text`, kept for the next command. */
export function parsedWorldFile(text: string): ParsedFile {
  let parsed = kept.get(text);
  if (!parsed) kept.set(text, (parsed = parseWorldFile(text)));
  return parsed;
}
