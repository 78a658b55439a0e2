// Semantic styles inside game text. World code marks *what* a span is (a room
// name, an exit, a player); each connection decides *how* it looks (ANSI 16,
// 256 colours, nothing). A span is START + one style code + text + END, and
// spans nest. START and END are C0 controls that no player can type (input
// lines lose every C0 control, see portal/telnet/line-assembler.ts `clean`), so
// player-typed text can never open or close a style.

export const STYLE_START = '\u0001';
export const STYLE_END = '\u0002';

/** Style codes: semantic ones for the game's own text, colours for builders. */
export const STYLES = {
  room: 'R', exit: 'X', item: 'I', player: 'P', say: 'S', emote: 'E', error: '!', prompt: '>', channel: 'C',
  /** Blows struck and taken, deaths: what a fight says. */
  combat: 'F',
  bold: 'B', red: 'r', green: 'g', yellow: 'y', blue: 'b', magenta: 'm', cyan: 'c', white: 'w', grey: 'k',
  /** Decorative art: shown as written, left out entirely for screen readers. */
  art: 'A',
} as const;

export type StyleName = keyof typeof STYLES;

/** `text` marked as `style`. */
export function styled(style: StyleName, text: string): string {
  return `${STYLE_START}${STYLES[style]}${text}${STYLE_END}`;
}

/** The text with every style mark removed (what a plain client or a log sees). */
export function unstyled(text: string): string {
  if (text.indexOf(STYLE_START) < 0 && text.indexOf(STYLE_END) < 0) return text;
  return text.replace(STYLE_MARKS, '');
}

const STYLE_MARKS = /\u0001[\s\S]?|\u0002/g;
