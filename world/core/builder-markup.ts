import { STYLE_END, STYLE_START, STYLES, type StyleName } from './text-style.js';

// Builders colour descriptions with a small markup: `{red}glowing{/}`, `{art}`
// blocks for ASCII art, `{{` for a literal brace. It is translated once per
// definition into the semantic marks of text-style.ts; player-typed text never
// comes through here, so typing "{red}" in a say shows just that.

const BUILDER_STYLES: readonly StyleName[] = [
  'bold', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'grey', 'art', 'room', 'exit', 'item', 'player',
];
const TAG = /\{\{|\{\/\}|\{([a-z]+)\}/g;

/** The first problem with a description's markup, or undefined. */
export function markupProblem(text: string): string | undefined {
  let depth = 0;
  for (const m of text.matchAll(TAG)) {
    if (m[0] === '{{') continue;
    if (m[0] === '{/}') {
      if (--depth < 0) return 'a {/} closes nothing';
    } else if (!BUILDER_STYLES.includes(m[1] as StyleName)) {
      return `unknown markup {${m[1]}}: use one of ${BUILDER_STYLES.map((s) => `{${s}}`).join(' ')}, and {{ for a brace`;
    } else depth++;
  }
  return depth > 0 ? `${depth} markup span${depth > 1 ? 's are' : ' is'} not closed with {/}` : undefined;
}

/** A description as the game shows it: markup turned into style marks, and
 *  the builder's line breaks inside a paragraph joined, since each client
 *  wraps to its own width. Blank lines separate paragraphs; lines that start
 *  with a space and {art} blocks are kept as written. */
export function renderDescription(text: string): string {
  let done = CACHE.get(text);
  if (done === undefined) {
    done = unfold(translate(text));
    if (CACHE.size > 10_000) CACHE.clear();
    CACHE.set(text, done);
  }
  return done;
}

/** Descriptions are few and looked at often: translate each once. */
const CACHE = new Map<string, string>();

/** Markup to style marks, line breaks kept: descriptions (via `renderDescription`) and script text. */
export function translate(text: string): string {
  if (text.indexOf('{') < 0) return text;
  const open: string[] = [];
  return text.replace(TAG, (tag, name: string | undefined) => {
    if (tag === '{{') return '{';
    if (tag === '{/}') return open.pop() === undefined ? '' : STYLE_END;
    const code = BUILDER_STYLES.includes(name as StyleName) ? STYLES[name as StyleName] : undefined;
    if (!code) return tag; // left as written; `mud world check` reports it
    open.push(code);
    return `${STYLE_START}${code}`;
  }) + STYLE_END.repeat(open.length);
}

function unfold(text: string): string {
  const out: string[] = [];
  const open: string[] = [];
  let previousAsWritten = true;
  for (const line of text.split('\n')) {
    let art = open.includes(STYLES.art);
    for (let i = 0; i < line.length; i++) {
      if (line[i] === STYLE_START) {
        open.push(line[++i] ?? '');
        art ||= line[i] === STYLES.art;
      } else if (line[i] === STYLE_END) open.pop();
    }
    const asWritten = art || line === '' || /^\s/.test(line);
    if (asWritten || previousAsWritten) out.push(line);
    else out[out.length - 1] += ` ${line}`;
    previousAsWritten = asWritten;
  }
  return out.join('\n');
}
