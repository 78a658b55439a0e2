import { Script } from 'node:vm';
import type { ScriptSource } from '../core/types.js';
import type { WorldError } from '../files/world-def.js';
import { findAllForbidden } from './script-static-check.js';

// Every problem of a script that failed to load, for `mud world check` to report in one
// run: the words and sends the static check forbids, all of them, and a syntax error,
// found by parsing alone (V8's parser: nothing of the script runs). The runtime's own
// load stops at the first problem; a builder fixing one should see the others too.

/** The problems of `src` besides `first` (what the load reported), each where it is. */
export function otherProblems(src: ScriptSource, first: WorldError): WorldError[] {
  const found = findAllForbidden(src);
  // A syntax error the load found already: the parser would find it again, worded its own way.
  if (!first.message.startsWith('script does not compile')) {
    const syntax = syntaxError(src);
    if (syntax && !found.some((f) => f.line === syntax.line)) found.push(syntax);
  }
  return found.filter((e) => !(e.line === first.line && e.column === first.column));
}

/** The first syntax error of the script's text, if any, parsed and never run. */
export function syntaxError(src: ScriptSource): WorldError | undefined {
  try {
    new Script(src.code, { filename: 'script' });
    return undefined;
  } catch (err) {
    const [head, , caret] = String((err as Error).stack ?? '').split('\n');
    const line = /^script:(\d+)$/.exec(head ?? '');
    if (!line) return { file: src.file, line: src.line, column: 1, message: `script does not compile: ${(err as Error).message}` };
    const column = Math.max(0, (caret ?? '').indexOf('^')) + 1;
    const opening = src.code.split('\n')[Number(line[1]) - 1]?.[column - 1] ?? '';
    // The parser marks an unterminated string from its opening quote on: say so, as the load does.
    const why = /['"`]/.test(opening) && /Invalid or unexpected token|Unterminated/.test((err as Error).message) ? 'unterminated string: it opens here and is never closed' : (err as Error).message;
    return { file: src.file, line: src.line + Number(line[1]) - 1, column, message: `script does not compile: ${why}` };
  }
}
