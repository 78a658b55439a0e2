import { translate } from '../core/builder-markup.js';

// Text a builder script sends to players, and the script errors a player and
// the log see, cleaned as player text is (portal/telnet/line-assembler.ts `clean`): no
// control characters reach a terminal from a script. An ESC would let it clear
// a player's screen, retitle the window or move the cursor over earlier lines;
// the style marks (world/core/text-style.ts) are C0 controls too, so a script cannot
// forge or unbalance them. A script colours with the builders' markup instead.

/** C0 controls but the line feed, DEL, and C1 (8-bit CSI, OSC, ...). */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The text without control characters: a tab becomes a space, line feeds stay (a script may tell several lines). */
export function withoutControls(text: string): string {
  if (!CONTROL.test(text)) return text; // the usual line: one scan, no copy
  return text.replace(/\t/g, ' ').replace(CONTROLS, '');
}

/** A line a script tells: controls dropped, then markup (`{red}...{/}`) turned into styles. */
export function scriptText(text: string): string {
  return translate(withoutControls(text));
}
