import type { ScriptSource } from '../core/types.js';
import type { WorldError } from '../files/world-def.js';
import { ruleOf } from '../core/protocol.js';

// What `mud world check` (and every load) refuses in a script before running it:
// words that would take a turn outside its sandbox, and messages the protocol
// table forbids scripts to send, where the type is written out in a `send` or `after` call.
// What cannot be seen here (a type built at run time) the runtime refuses.

/** `import()` asks for a module loader a script has none of; `async` functions
 *  make promises, whose jobs would outlive the call. Escaped spellings of
 *  keywords are syntax errors in JavaScript, so the plain words are all there is. */
const FORBIDDEN: ReadonlyArray<[RegExp, string]> = [
  [/(?<![\w$.])import(?![\w$])/, 'import is not available in world scripts'],
  [/(?<![\w$.])async(?![\w$])/, 'async code is not available in world scripts: a turn runs to completion'],
];

// A timer's message is sent too, later: ctx.after is checked like ctx.send.
const SEND_CALL = /\.(?:send|after)\s*\(/g;
const LITERAL_TYPE = /(?<![\w$])type\s*:\s*(['"`])([A-Za-z_$][\w$]*)\1/g;

export function findForbidden(src: ScriptSource): WorldError | undefined {
  return findAllForbidden(src)[0];
}

/** Every forbidden word of the script, then every forbidden send. */
export function findAllForbidden(src: ScriptSource): WorldError[] {
  const found: Array<[number, string]> = [];
  for (const [pattern, message] of FORBIDDEN) {
    for (const match of src.code.matchAll(new RegExp(pattern, 'g'))) found.push([match.index, message]);
  }
  for (const call of src.code.matchAll(SEND_CALL)) {
    const args = src.code.slice(call.index, closingParen(src.code, call.index + call[0].length));
    for (const literal of args.matchAll(LITERAL_TYPE)) {
      const type = literal[2];
      if (!ruleOf(type).script) found.push([call.index + literal.index, `scripts may not send '${type}' messages (see the protocol table in docs/WORLD-FILES.md)`]);
    }
  }
  // Words before sends, as the load checks them: the first of these is what the load reports.
  return found.map(([index, message]) => at(src, index, message));
}

/** The end of a call's arguments: brackets counted, strings not parsed (a
 *  bracket inside a string only shortens or lengthens what is searched). */
export function closingParen(code: string, from: number): number {
  let depth = 1;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '{' || c === '[') depth += 1;
    else if ((c === ')' || c === '}' || c === ']') && --depth === 0) return i;
  }
  return code.length;
}

function at(src: ScriptSource, index: number, message: string): WorldError {
  const before = src.code.slice(0, index).split('\n');
  return { file: src.file, line: src.line + before.length - 1, column: before[before.length - 1].length + 1, message };
}
