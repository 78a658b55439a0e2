// ANSI SGR colour codes in server text, turned into styled spans. Text only
// ever reaches the page as text nodes; colours come from CSS classes (the 16
// basic ones, themed for light and dark) or, for 256-colour codes, from the
// CSSOM (allowed by the page's Content-Security-Policy, unlike style attributes).

const SGR = /\u001b\[([0-9;]*)m/g;
/** Escape sequences other than colour, and C0 controls except tab: dropped. */
const OTHER_ESCAPES = /\u001b\[[0-9;?]*[ -\/]*[@-ln-~]|\u001b[@-Z\\-_]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f]/g;

/** @typedef {{ fg: string | null, bold: boolean, rgb: string | null }} Style */

/** @returns {Style} */
export const plainStyle = () => ({ fg: null, bold: false, rgb: null });

/**
 * Appends `text` (one line, possibly with SGR codes) to `parent` as spans.
 * `style` carries over from line to line, as on a terminal; returns it.
 * @param {HTMLElement} parent @param {string} text @param {Style} style
 */
export function appendAnsi(parent, text, style) {
  const clean = text.replace(OTHER_ESCAPES, '').replace(CONTROL, '');
  let at = 0;
  for (const m of clean.matchAll(SGR)) {
    add(parent, clean.slice(at, m.index), style);
    style = apply(style, m[1]);
    at = m.index + m[0].length;
  }
  add(parent, clean.slice(at), style);
  return style;
}

/** @param {HTMLElement} parent @param {string} text @param {Style} style */
function add(parent, text, style) {
  if (!text) return;
  if (!style.fg && !style.bold && !style.rgb) {
    parent.append(text);
    return;
  }
  const span = document.createElement('span');
  if (style.fg) span.classList.add(`ansi-${style.fg}`);
  if (style.bold) span.classList.add('ansi-bold');
  if (style.rgb) span.style.color = style.rgb;
  span.textContent = text;
  parent.append(span);
}

/** @param {Style} style @param {string} params @returns {Style} */
function apply(style, params) {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  let next = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) next = plainStyle();
    else if (c === 1) next.bold = true;
    else if (c === 22) next.bold = false;
    else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) { next.fg = String(c); next.rgb = null; }
    else if (c === 39) { next.fg = null; next.rgb = null; }
    else if (c === 38 && codes[i + 1] === 5) { next.rgb = xterm256(codes[i + 2] ?? 7); next.fg = null; i += 2; }
    else if (c === 38 && codes[i + 1] === 2) { next.rgb = `rgb(${codes[i + 2] ?? 0} ${codes[i + 3] ?? 0} ${codes[i + 4] ?? 0})`; next.fg = null; i += 4; }
  }
  return next;
}

/** The xterm 256-colour palette: 16 basic (themed), a 6x6x6 cube, 24 greys. @param {number} n */
function xterm256(n) {
  if (n < 16) return `var(--ansi-${n < 8 ? 30 + n : 82 + n})`;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v} ${v} ${v})`;
  }
  const i = n - 16;
  const level = (/** @type {number} */ x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))} ${level(Math.floor(i / 6) % 6)} ${level(i % 6)})`;
}
