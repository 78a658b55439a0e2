import type { ScriptSource } from '../core/types.js';
import type { WorldError } from './world-def.js';
import { compileScript } from '../scripts/script-sandbox.js';
import { KeptByText } from './kept-by-text.js';

// The loader checks every script a world names by compiling it: a QuickJS runtime on the script thread, the
// top level run twice, one empty call. That is 5-70 ms a script, spent while the calling thread waits, and a
// live server loads its world on the gateway's thread: `@reload` loads it once, and every building command
// (`@desc`, `@dig`, ...) twice (the edit checked, then made live), so every player waited out each check of
// every script (docs/BENCHMARKS.md, "Building without stalling the others"). A script that compiled once
// compiles again, with the same hooks: what the check learns depends on the code alone (the top level gets no
// context and nothing random). So the hooks of the texts that passed are kept, and an unchanged script is
// checked once per process; a failure is not kept (a top level that ran out of time on a loaded machine may pass).

/** What passed: the text's hook names, for up to 4 MiB of script text. */
const passed = new KeptByText<string[]>(4 * 1024 * 1024);

export type ScriptCheck = { ok: true; hooks: string[] } | { ok: false; error: WorldError };

/** Compiles `source` to check it, unless the same text passed before; its hook names. */
export function checkScript(source: ScriptSource): ScriptCheck {
  const known = passed.get(source.code);
  if (known) return { ok: true, hooks: known };
  const compiled = compileScript(source);
  if (!compiled.ok) return compiled;
  const hooks = [...compiled.hooks.keys()];
  compiled.dispose(); // checked: the world compiles its own when it goes live
  passed.set(source.code, hooks);
  return { ok: true, hooks };
}
