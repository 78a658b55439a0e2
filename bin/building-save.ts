import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StateStore } from '../store/state-store.js';
import type { Logger } from '../support/logger.js';
import { formatWorldError } from '../world/files/world-def.js';
import { writeWorld } from '../world/files/world-writer.js';
import { checkEdited, DRAFT_KEY, hasEdits, readDraft, readWorldFiles } from './built-world.js';

/** `@save`: what was built goes into the world files, once the checker passes the
 *  result; then the edits in the store are cleared. Files nobody's edit touches are not
 *  written; in those that are, entries nobody touched keep their text and comments. */
export async function saveBuilding(deps: { store: StateStore; worldPath: string; log: Logger }, by: string): Promise<string> {
  const { store, worldPath: dir } = deps;
  for (let attempt = 0; attempt < 5; attempt++) {
    const draft = await readDraft(store);
    if (!hasEdits(draft.edits)) return 'Nothing to save: the world is as its files say.';
    const files = await readWorldFiles(dir);
    const checked = await checkEdited(dir, files, draft.edits);
    const rel = (file: string) => path.relative(dir, file) || file;
    if (!checked.ok) {
      return `Not saved: the world checker refuses it, and the files stay as they were:\n${checked.errors.map((e) => formatWorldError({ ...e, file: rel(e.file) })).join('\n')}`;
    }
    const changed = writeWorld(files, draft.edits);
    for (const [file, text] of changed) {
      const target = path.join(dir, ...file.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      // A whole file or none: a crash mid-save leaves the old text, never half of the new.
      await writeFile(`${target}.saving`, text);
      await rename(`${target}.saving`, target);
    }
    // Cleared only if nobody built meanwhile; else saved again with theirs (writing the same entries twice changes nothing).
    if (!(await store.delete(DRAFT_KEY, draft.revision))) continue;
    deps.log.info('building saved', { by, files: [...changed.keys()].join(','), warnings: checked.warnings.length });
    const warned = checked.warnings.length
      ? `\nThe checker warns (the world loads, but a reviewer would look):\n${checked.warnings.map((w) => formatWorldError({ ...w, file: rel(w.file), message: `warning: ${w.message}` })).join('\n')}`
      : '';
    return `Saved to the world files: ${[...changed.keys()].join(', ')}.${warned}`;
  }
  return 'Not saved: other wizards kept building meanwhile; try again.';
}
