import { EOR_CMD, GA, IAC } from './telnet-options.js';

/** Text for the peer: "\n" → CR LF, bare "\r" → CR NUL, UTF-8, IAC doubled. */
export function encodeTelnetText(text: string): Buffer {
  // Game text has no CR: every line's "\n" becomes CR LF by a plain replace, without a callback per line.
  const normalised = text.indexOf('\r') < 0 ? text.replaceAll('\n', '\r\n') : text.replace(/\r\n?|\n/g, (m) => (m === '\r' ? '\r\0' : '\r\n'));
  return escapeIac(Buffer.from(normalised, 'utf8'));
}

/** Double every IAC byte so the peer reads it as data. UTF-8 text never
 *  contains 0xFF, but callers may pass arbitrary bytes. */
export function escapeIac(bytes: Buffer): Buffer {
  if (bytes.indexOf(IAC) === -1) return bytes;
  const out: number[] = [];
  for (const b of bytes) {
    out.push(b);
    if (b === IAC) out.push(IAC);
  }
  return Buffer.from(out);
}

/** The prompt marks, shared: callers queue them and never write into them. */
export const EOR_MARK = Buffer.from([IAC, EOR_CMD]);
export const GA_MARK = Buffer.from([IAC, GA]);
export const NO_MARK = Buffer.alloc(0);
