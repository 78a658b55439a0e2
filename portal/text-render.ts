import type { Rendering } from './client-profile.js';
import { renderStyles } from './ansi.js';
import { wrapText } from './text-wrap.js';

/** Game text as one connection shows it: wrapped to its width (style marks
 *  take no room), then styled for its colour depth, then ASCII for a client
 *  that does not take UTF-8. Lines with no marks that fit already come back
 *  as they are, at the cost of a length check. */
export function renderText(text: string, r: Rendering): string {
  const styled = renderStyles(wrapText(text, r.width), r.color, r.screenReader);
  return r.ascii ? toAscii(styled) : styled;
}

const NON_ASCII = /[^\u0000-\u007f]/;
const PUNCTUATION: Readonly<Record<string, string>> = {
  '\u2014': '--', '\u2013': '-', '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2026': '...', '\u00a0': ' ',
};

/** Typographic punctuation as its ASCII look-alike, accents dropped (é -> e), anything else '?'. */
export function toAscii(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text
    .replace(/[\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00a0]/g, (c) => PUNCTUATION[c]!)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\u0000-\u007f]/gu, '?');
}
