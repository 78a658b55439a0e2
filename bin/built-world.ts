import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StateStore } from '../store/state-store.js';
import type { Json } from '../world/core/types.js';
import { loadWorld, type LoadWorldResult } from '../world/files/world-loader.js';
import { NO_EDITS, writeWorld, type WorldEdits } from '../world/files/world-writer.js';
import type { World } from '../world/core/world.js';
import { liveWorld } from './live-world.js';

// The live world is the world files plus what wizards built in the game since the
// last `@save` (docs/WORLD-FILES.md, "Building in the game"). Those edits live in
// the state store under one key, so every gateway of a cluster reads the same ones
// when it loads its world, as `@reload` has every gateway do.

/** The store key of the unsaved building edits (a `WorldEdits`). */
export const DRAFT_KEY = 'building/draft';

export interface Draft {
  edits: WorldEdits;
  /** The key's revision; 0 when there are no edits. */
  revision: number;
}

export async function readDraft(store: StateStore): Promise<Draft> {
  const found = await store.get(DRAFT_KEY);
  return found ? { edits: found.value as unknown as WorldEdits, revision: found.revision } : { edits: NO_EDITS, revision: 0 };
}

export function hasEdits(edits: WorldEdits): boolean {
  return Object.keys(edits.entries).length > 0 || Object.keys(edits.scripts).length > 0;
}

/** The world's YAML files by path relative to `dir` (`/`-separated), as the loader reads them. */
export async function readWorldFiles(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const rels = entries
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .filter((rel) => !rel.split('/').some((part) => part.startsWith('.')))
    .sort();
  const files = new Map<string, string>();
  for (const rel of rels) files.set(rel, await readFile(path.join(dir, rel), 'utf8'));
  return files;
}

/** The files the edits change, as absolute paths to their new texts. */
export function editedFiles(dir: string, files: ReadonlyMap<string, string>, edits: WorldEdits): Map<string, string> {
  const out = new Map<string, string>();
  for (const [rel, text] of writeWorld(files, edits)) out.set(path.join(dir, ...rel.split('/')), text);
  return out;
}

/** Loads the world as the files and `edits` make it, through the checker. */
export async function checkEdited(dir: string, files: ReadonlyMap<string, string>, edits: WorldEdits): Promise<LoadWorldResult> {
  if (!hasEdits(edits)) return loadWorld(dir);
  const overlay = editedFiles(dir, files, edits);
  await nextTurn(); // a live server's players are served between writing the edited files and loading them
  return loadWorld(dir, { overlay });
}

/** The live world: files and unsaved edits; throws a WorldLoadError listing the checker's findings. */
export async function loadBuiltWorld(dir: string, store: StateStore | undefined): Promise<{ world: World; revision: number }> {
  const draft = store ? await readDraft(store) : { edits: NO_EDITS, revision: 0 };
  const loaded = hasEdits(draft.edits) ? await checkEdited(dir, await readWorldFiles(dir), draft.edits) : await loadWorld(dir);
  return { world: liveWorld(dir, loaded), revision: draft.revision };
}

export function draftValue(edits: WorldEdits): Json {
  return edits as unknown as Json;
}
