import type { PlayerSettings } from './player/player-settings.js';

/** How a connection renders game text: colour depth, wrap width (0 = the
 *  client wraps itself) and screen-reader mode. Decided per connection from
 *  what the client negotiated, overridden by the player's `config`. */
export interface Rendering {
  color: ColorDepth;
  width: number;
  screenReader: boolean;
  /** The client said (MTTS) it does not take UTF-8: send ASCII. */
  ascii: boolean;
  /** Equal keys render equal bytes: what shared lines cache their encodings by. */
  key: string;
}

export type ColorDepth = 'none' | 'ansi' | '256';

/** What a telnet client told us about itself (TTYPE, MTTS, NAWS). */
export interface TerminalReport {
  types: readonly string[];
  mtts: number | undefined;
  /** NAWS width, or undefined when the client never sent one. */
  width: number | undefined;
}

/** MTTS bits (https://tintin.mudhalla.net/protocols/mtts/). */
export const MTTS_ANSI = 1;
export const MTTS_UTF8 = 4;
export const MTTS_256 = 8;
export const MTTS_SCREEN_READER = 64;
export const MTTS_TRUECOLOR = 256;

/** Used when a client never tells its width (NAWS). */
export const DEFAULT_WIDTH = 80;
/** Narrower than this and wrapping only hurts: treat as unknown. */
const MIN_WIDTH = 20;

/** Terminal types that understand ANSI colour, for clients that do not send MTTS. */
const ANSI_TERMINALS = /^(XTERM|ANSI|VT1\d\d|LINUX|SCREEN|TMUX|RXVT|KONSOLE|PUTTY|MUDLET|TINTIN|MUSHCLIENT|CMUD|ZMUD|BLOWTORCH|MUDRAMMER|ATLANTIS|POTATO|BEIP|KBTIN|GNOME|ALACRITTY|KITTY|WEZTERM|ST-|FOOT)/;

/** The colour depth a telnet client announced. Unknown clients get none:
 *  a bare socket or a bot reads plain text. */
export function terminalColor(report: TerminalReport): ColorDepth {
  if (report.mtts !== undefined) return report.mtts & (MTTS_256 | MTTS_TRUECOLOR) ? '256' : report.mtts & MTTS_ANSI ? 'ansi' : 'none';
  let depth: ColorDepth = 'none';
  for (const t of report.types) {
    const name = t.toUpperCase();
    if (/256COLOR|TRUECOLOR|DIRECT/.test(name)) return '256';
    if (ANSI_TERMINALS.test(name)) depth = 'ansi';
  }
  return depth;
}

/** Rendering for a telnet connection. */
export function telnetRendering(report: TerminalReport, settings: PlayerSettings): Rendering {
  const width = report.width !== undefined && report.width >= MIN_WIDTH ? report.width : DEFAULT_WIDTH;
  return rendering(
    chosenColor(terminalColor(report), settings),
    settings.wrap === 'off' ? 0 : width,
    settings.screenreader === 'auto' ? ((report.mtts ?? 0) & MTTS_SCREEN_READER) !== 0 : settings.screenreader === 'on',
    // Without MTTS the client said nothing about its charset: UTF-8, as nearly every client today.
    report.mtts !== undefined && (report.mtts & MTTS_UTF8) === 0,
  );
}

export function rendering(color: ColorDepth, width: number, screenReader: boolean, ascii = false): Rendering {
  return { color, width, screenReader, ascii, key: `${color}/${width}/${screenReader ? 1 : 0}/${ascii ? 1 : 0}` };
}

/** Rendering for a WebSocket: the browser client negotiates colour and wraps itself. */
export function webRendering(negotiated: boolean, settings: PlayerSettings): Rendering {
  // 16 colours, which the page maps to its own light or dark palette; `config color 256` asks for more.
  return rendering(chosenColor(negotiated ? 'ansi' : 'none', settings), 0, settings.screenreader === 'on');
}

function chosenColor(client: ColorDepth, settings: PlayerSettings): ColorDepth {
  if (settings.color === 'off') return 'none';
  if (settings.color === '256') return '256';
  if (settings.color === 'on') return client === 'none' ? 'ansi' : client;
  return client;
}
