import { STYLE_END, STYLE_START, STYLES } from '../world/core/text-style.js';
import type { ColorDepth } from './client-profile.js';

// The game's semantic styles (world/core/text-style.ts) as ANSI SGR sequences.
// Every style also reads as text (exits are listed after "Exits:", says are
// quoted), so colour only ever adds to what the words say.

type Palette = Readonly<Record<string, string>>;

const ANSI16: Palette = {
  [STYLES.room]: '1;36', [STYLES.exit]: '32', [STYLES.item]: '33', [STYLES.player]: '1;35', [STYLES.say]: '36',
  [STYLES.emote]: '35', [STYLES.error]: '31', [STYLES.prompt]: '1', [STYLES.channel]: '34', [STYLES.combat]: '1;31', [STYLES.bold]: '1',
  [STYLES.red]: '31', [STYLES.green]: '32', [STYLES.yellow]: '33', [STYLES.blue]: '34', [STYLES.magenta]: '35',
  [STYLES.cyan]: '36', [STYLES.white]: '37', [STYLES.grey]: '90', [STYLES.art]: '',
};

const ANSI256: Palette = {
  ...ANSI16,
  [STYLES.room]: '1;38;5;81', [STYLES.exit]: '38;5;114', [STYLES.item]: '38;5;221', [STYLES.player]: '1;38;5;213',
  [STYLES.say]: '38;5;117', [STYLES.emote]: '38;5;177', [STYLES.error]: '38;5;203', [STYLES.channel]: '38;5;75',
  [STYLES.combat]: '1;38;5;209',
};

const ESC = '\u001b';

/** Game text with style marks, rendered for a colour depth: SGR sequences, or
 *  the marks simply removed. `dropArt` leaves {art} spans out (screen readers). */
export function renderStyles(text: string, depth: ColorDepth, dropArt: boolean): string {
  // The next mark of each sort, found by a bulk scan and found again only once passed.
  let nextStart = text.indexOf(STYLE_START);
  let nextEnd = text.indexOf(STYLE_END);
  if (nextStart < 0 && nextEnd < 0) return text;
  const palette = depth === '256' ? ANSI256 : depth === 'ansi' ? ANSI16 : undefined;
  const open: string[] = [];
  let out = '';
  let from = 0;
  let skipping = 0; // depth inside a dropped art span
  while (nextStart >= 0 || nextEnd >= 0) {
    const starts = nextStart >= 0 && (nextEnd < 0 || nextStart < nextEnd);
    let i = starts ? nextStart : nextEnd;
    if (!skipping) out += text.slice(from, i);
    if (starts) {
      const code = text[++i] ?? '';
      open.push(code);
      if (skipping || (dropArt && code === STYLES.art)) skipping++;
      else if (palette?.[code]) out += `${ESC}[${palette[code]}m`;
    } else if (open.length > 0) {
      const code = open.pop()!;
      if (skipping) skipping--;
      else if (palette?.[code]) out += `${ESC}[0m${open.map((o) => (palette[o] ? `${ESC}[${palette[o]}m` : '')).join('')}`;
    }
    from = i + 1;
    if (nextStart >= 0 && nextStart < from) nextStart = text.indexOf(STYLE_START, from);
    if (nextEnd >= 0 && nextEnd < from) nextEnd = text.indexOf(STYLE_END, from);
  }
  if (!skipping) out += text.slice(from);
  // A span left open (a script's text) must not colour what follows it.
  if (palette && open.some((o) => palette[o])) out += `${ESC}[0m`;
  return out;
}
