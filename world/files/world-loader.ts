import { readdir, readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import path from 'node:path';
import type { LineCounter, YAMLError } from 'yaml';
import type { ScriptSource } from '../core/types.js';
import type { WorldDefinition, WorldError } from './world-def.js';
import { compactDefinition } from './compact-definition.js';
import { checkScript, type ScriptCheck } from './script-checks.js';
import { keptWorldFile, parseWorldFile } from './parsed-files.js';
import { otherProblems } from '../scripts/script-syntax.js';
import { readItems } from './world-items.js';
import { linkWorld, type Drafts } from './world-links.js';
import { reviewWorld, type HookNames } from './world-review.js';
import { YamlReader } from './world-schema.js';
import { damagedLines, isDamaged, type DamagedLines } from './yaml-damage.js';
import { readRooms, readWorldSection, type ScriptDraft } from './world-sections.js';
import { readAreas } from './world-areas.js';
import { linkSocials, readSocials } from './world-socials.js';
import { isCommandWord } from '../commands/commands.js';

// Loads a world directory: every *.yaml under it (sorted by path), each holding
// any of `world`, `areas`, `rooms`, `items`, `socials`. The result is either the whole definition or
// every error found, each as file:line:column; never a half-checked world.
// Paths in errors are the directory as given joined with the file's path in it.

/** A world that loads may still carry warnings: what a reviewer would flag (world-review.ts). */
export type LoadWorldResult = { ok: true; world: WorldDefinition; warnings: WorldError[] } | { ok: false; errors: WorldError[] };

/** `overlay`: files (absolute paths) read as these texts instead of from disk, or added when
 *  new: what builders changed in the game and have not saved yet (bin/built-world.ts). */
export interface LoadOptions {
  overlay?: ReadonlyMap<string, string>;
  /** Warn also of what only a pedantic reviewer would (`mud world check --pedantic`). */
  pedantic?: boolean;
}

export async function loadWorld(dir: string, opts: LoadOptions = {}): Promise<LoadWorldResult> {
  const errors: WorldError[] = [];
  const overlay = opts.overlay ?? new Map<string, string>();
  const texts = new Map<string, Promise<string>>(); // a script file that a hundred rooms name is read once
  const read = (file: string): Promise<string> | string => {
    const known = overlay.get(file) ?? texts.get(file);
    if (known !== undefined) return known;
    const text = readFile(file, 'utf8');
    texts.set(file, text);
    return text;
  };
  const files = withOverlay(await listFiles(dir, '.yaml', errors), overlay);
  if (files.length === 0) {
    if (errors.length === 0) errors.push({ file: dir, line: 1, column: 1, message: 'no .yaml files in the world directory' });
    return { ok: false, errors };
  }
  const drafts: Drafts = { rooms: [], items: [], worlds: [], areas: [], socials: [] };
  let unreadable = false;
  const damage: string[] = []; // the text of every entry a syntax error spoils
  // A live server loads on the thread that serves its players (`@reload`, building): between files and steps it
  // lets the event loop run, so they wait out one file's parse or one step at most, not the whole load.
  for (const file of files) {
    if (!readWorldFile(file, await read(file), drafts, errors, damage)) unreadable = true;
    await nextTurn();
  }
  // A file with YAML syntax errors is still read outside its damaged entries
  // (world/files/yaml-damage.ts), so one run reports all it can; only a file whose
  // shape is broken as a whole stops the whole-world checks.
  // With a file unreadable, whole-world checks would only add noise ("unknown room" for every room in it).
  if (unreadable) return { ok: false, errors: tidy(errors) };
  const across: WorldError[] = [];
  const linked = linkWorld(drafts, { file: files[0], line: 1, column: 1 }, across);
  linked.socials = linkSocials(drafts.socials, isCommandWord, (spot, message) => across.push({ ...spot, message }));
  errors.push(...withoutCascade(across, damage, errors));
  await nextTurn();
  const scripts = await attachScripts(dir, drafts, errors, read);
  if (errors.length > 0) return { ok: false, errors: tidy(errors) };
  await nextTurn();
  const review = reviewWorld(drafts, linked.startRoom.replace(/^room\//, ''), scripts.hooks, scripts.texts, { pedantic: opts.pedantic });
  const warnings = tidy([...review, ...await unusedScripts(dir, scripts.files)]);
  await nextTurn();
  return { ok: true, world: { ...compactDefinition(linked), source: path.resolve(dir) }, warnings };
}

/** All files below `dir` whose name ends with `ext` (skipping hidden ones), sorted by their path in it. */
async function listFiles(dir: string, ext: string, errors: WorldError[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    errors.push({ file: dir, line: 1, column: 1, message: 'world directory not found or not readable' });
    return [];
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .filter((rel) => !rel.split(path.sep).some((part) => part.startsWith('.')))
    .sort((a, b) => compare(a.split(path.sep).join('/'), b.split(path.sep).join('/')))
    .map((rel) => path.join(dir, rel));
}

/** The listed files and the overlay's new .yaml files, in path order. */
function withOverlay(files: string[], overlay: ReadonlyMap<string, string>): string[] {
  const added = [...overlay.keys()].filter((f) => f.endsWith('.yaml') && !files.includes(f));
  return added.length ? [...files, ...added].sort((a, b) => compare(a.split(path.sep).join('/'), b.split(path.sep).join('/'))) : files;
}

/** A file's YAML syntax errors: the first of each damaged entry (of the file, when its shape is broken), with a
 *  count of those after it. Past one error the parser's guesses cascade: an unclosed `[` in one room gave 50
 *  lines, one per line of every entry after it. */
function syntaxErrors(file: string, found: readonly YAMLError[], lines: LineCounter, damaged: DamagedLines | 'whole'): WorldError[] {
  const first = new Map<string, { error: WorldError; more: number }>();
  found.forEach((e, i) => {
    const where = damaged === 'whole' ? 'file' : damaged[i].join('-');
    const seen = first.get(where);
    if (seen) seen.more++;
    else {
      const { line, col } = lines.linePos(e.pos[0]);
      first.set(where, { error: { file, line, column: col, message: `YAML syntax: ${e.message}` }, more: 0 });
    }
  });
  return [...first.values()].map(({ error, more }) => more === 0 ? error : {
    ...error, message: `${error.message} (and ${more} more syntax error${more === 1 ? '' : 's'} after it in this ${damaged === 'whole' ? 'file' : 'entry'}, most likely from this one)`,
  });
}

/** The checks across files, less what may follow from a damaged entry: an error naming (in quotes) something a
 *  damaged entry's text holds. With the brass key's room damaged, "item 'brass_key' is placed nowhere" is the
 *  damage, not a second mistake. The first syntax error says how many were left out; once the syntax is mended
 *  the next run shows whatever of them is real. */
function withoutCascade(across: WorldError[], damage: readonly string[], errors: WorldError[]): WorldError[] {
  if (damage.length === 0) return across;
  const words = new Set(damage.flatMap((text) => text.match(/[\w.-]+/g) ?? []));
  const kept = across.filter((e) => ![...e.message.matchAll(/'([^']+)'/g)].some((m) => words.has(m[1])));
  const left = across.length - kept.length;
  const first = errors.findIndex((e) => e.message.startsWith('YAML syntax'));
  if (left > 0 && first >= 0) {
    const e = errors[first];
    errors[first] = { ...e, message: `${e.message} [${left} finding${left === 1 ? '' : 's'} of the checks across files left out: ${left === 1 ? 'it names' : 'they name'} what the damage holds]` };
  }
  return kept;
}

/** Reads one file's sections into `drafts`; false if its YAML is too broken to read at all. `damage` gets the text
 *  of each entry a syntax error spoils. */
function readWorldFile(file: string, text: string, drafts: Drafts, errors: WorldError[], damage: string[]): boolean {
  // A building command kept the parse of a file it read and did not change (parsed-files.ts).
  const { doc, lines } = keptWorldFile(text) ?? parseWorldFile(text);
  const damaged = doc.errors.length > 0 ? damagedLines(doc, lines) : [];
  errors.push(...syntaxErrors(file, doc.errors, lines, damaged));
  if (damaged === 'whole') return false;
  if (damaged.length > 0) damage.push(...damagedText(text, damaged));
  if (doc.contents === null) return true; // an empty file (or only comments) is fine
  // What the reader finds inside a damaged entry follows from the syntax error: left out.
  const found: WorldError[] = [];
  const r = new YamlReader(file, text, lines, found);
  const top = r.fields(r.field(doc.contents, ''), ['world', 'areas', 'rooms', 'items', 'socials']);
  if (top?.world) drafts.worlds.push(readWorldSection(r, top.world));
  // A loop, not push(...spread): a file of 100,000 rooms would overflow the stack.
  if (top?.rooms) for (const room of readRooms(r, top.rooms)) drafts.rooms.push(room);
  if (top?.items) for (const item of readItems(r, top.items)) drafts.items.push(item);
  if (top?.areas) for (const area of readAreas(r, top.areas)) drafts.areas.push(area);
  if (top?.socials) for (const social of readSocials(r, top.socials)) drafts.socials.push(social);
  for (const e of found) if (!isDamaged(e.line, damaged)) errors.push(e);
  return true;
}

/** The lines of each damaged entry. */
function damagedText(text: string, damaged: DamagedLines): string[] {
  const lines = text.split('\n');
  return damaged.map(([from, to]) => lines.slice(from - 1, to).join('\n'));
}

/** Reads and compiles each script once (instances of an item share theirs),
 *  then hands it to every definition that uses it; returns each script's hook names and texts. */
async function attachScripts(dir: string, drafts: Drafts, errors: WorldError[], read: Reader): Promise<{ hooks: HookNames; texts: string[]; files: Set<string> }> {
  const sources = new Map<ScriptDraft, ScriptSource | undefined>();
  const hooks: HookNames = new Map();
  const checks = new Map<string, ScriptCheck>(); // a file that a hundred rooms name is checked once
  for (const owner of [...drafts.rooms, ...drafts.items]) {
    if (!owner.script) continue;
    if (!sources.has(owner.script)) sources.set(owner.script, await checkedScript(dir, owner.script, errors, hooks, read, checks));
    const source = sources.get(owner.script);
    if (source) owner.def.script = source;
  }
  const files = new Set([...sources.keys()].filter((d) => !d.inline).map((d) => path.resolve(path.dirname(d.spot.file), d.text)));
  return { hooks, texts: [...sources.values()].flatMap((s) => (s ? [s.code] : [])), files };
}

/** Script files in the world directory that no `script:` line names: they never run, and a builder who forgot
 *  the line (or named another file) would otherwise hear nothing of it. */
async function unusedScripts(dir: string, used: ReadonlySet<string>): Promise<WorldError[]> {
  const files = await listFiles(dir, '.js', []);
  return files
    .filter((file) => !used.has(path.resolve(file)))
    .map((file) => ({ file, line: 1, column: 1, message: 'no room or item names this script in a `script:` line: it never runs' }));
}

type Reader = (file: string) => Promise<string> | string;

async function checkedScript(
  dir: string, draft: ScriptDraft, errors: WorldError[], hooks: HookNames, read: Reader, checks: Map<string, ScriptCheck>,
): Promise<ScriptSource | undefined> {
  const source = draft.inline ? { file: draft.spot.file, line: draft.line, code: draft.text } : await scriptFile(dir, draft, errors, read);
  if (!source) return undefined;
  const key = `${source.file}\0${source.line}\0${source.code}`;
  let compiled = checks.get(key);
  if (!compiled) checks.set(key, (compiled = checkScript(source)));
  if (compiled.ok) {
    hooks.set(draft, { hooks: compiled.hooks, code: source.code });
    return source;
  }
  // YAML strips an inline block's indentation: put it back so the column points into the file.
  // Every problem of the script in one run, not only the one its load stopped at.
  for (const e of [compiled.error, ...otherProblems(source, compiled.error)]) errors.push({ ...e, column: e.column + (draft.inline ? draft.indent : 0) });
  return undefined;
}

async function scriptFile(dir: string, draft: ScriptDraft, errors: WorldError[], read: Reader): Promise<ScriptSource | undefined> {
  const file = path.join(path.dirname(draft.spot.file), draft.text);
  const inside = path.relative(path.resolve(dir), path.resolve(file));
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    errors.push({ ...draft.spot, message: `script '${draft.text}' is outside the world directory` });
    return undefined;
  }
  try {
    return { file, line: 1, code: await read(file) };
  } catch {
    errors.push({ ...draft.spot, message: `script file '${draft.text}' does not exist (looked for ${file})` });
    return undefined;
  }
}

/** Sorted by file, line and column; the same error found twice (say, once per instance) shown once. */
function tidy(errors: WorldError[]): WorldError[] {
  const seen = new Set<string>();
  return errors
    .filter((e) => {
      const key = `${e.file}:${e.line}:${e.column}:${e.message}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    })
    .sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
