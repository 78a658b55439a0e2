// What a player types shows as what it is: nothing invisible that reorders or
// hides the text around it, and no tower of combining marks over other lines
// (issue 25, item 8). Applied to every line a player sends (portal/telnet/line-assembler.ts
// `clean`), so say, tell, emote, describe, names and aliases all get it.

/** Most combining marks kept on one character: enough for any script's stacked
 *  diacritics (Vietnamese has two, Devanagari and Tibetan clusters a few), far
 *  from the hundreds that draw "zalgo" text over the lines around it. */
export const MAX_COMBINING_MARKS = 4;

/** Bidirectional controls (LRO, RLO, the isolates, LRM/RLM, ALM) and the
 *  default-ignorable code points: zero-width space and joiners, word joiner,
 *  BOM, invisible operators, Hangul fillers, soft hyphen, tag characters. */
const INVISIBLE = /[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]/gu;
/** Variation selectors are default-ignorable too, but choose an emoji's or a
 *  CJK character's look, and are bounded as marks: kept. */
const VARIATION_SELECTOR = /^[\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]$/u;
/** Line and paragraph separators end a line in some clients: a space instead. */
const SEPARATOR = /[\p{Zl}\p{Zp}]/gu;
const MARK_RUN = new RegExp(`(\\p{M}{${MAX_COMBINING_MARKS}})\\p{M}+`, 'gu');
/** Printable ASCII only: nothing to do (nearly every line). */
const PLAIN = /^[\x20-\x7e]*$/;

/** `text` in NFC with invisible characters removed and combining marks bounded. */
export function visibleText(text: string): string {
  if (PLAIN.test(text)) return text;
  return text
    .normalize('NFC')
    .replace(INVISIBLE, (c) => (VARIATION_SELECTOR.test(c) ? c : ''))
    .replace(SEPARATOR, ' ')
    .replace(MARK_RUN, '$1');
}
