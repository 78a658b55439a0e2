import type { Rendering } from './client-profile.js';
import { renderStyles } from './ansi.js';
import { wrapText } from './text-wrap.js';

/** Game text as one connection shows it: wrapped to its width (style marks
 *  take no room), then styled for its colour depth. Lines with no marks that
 *  fit already come back as they are, at the cost of a length check. */
export function renderText(text: string, r: Rendering): string {
  return renderStyles(wrapText(text, r.width), r.color, r.screenReader);
}
