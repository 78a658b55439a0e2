// Turns the application data coming out of TelnetProtocol into text lines.
// Telnet clients end lines with LF, CR LF, CR NUL or a bare CR; all count as
// one line end. Raw bytes are buffered until the line end and decoded then,
// so a UTF-8 character split across chunks needs no special handling.

import { isUtf8 } from 'node:buffer';
import { visibleText } from '../visible-text.js';
import { fromBase64, toBase64, type PartialLine } from '../handover.js';

export type LineProblem = 'too-long' | 'invalid-utf8';

export interface LineAssemblerOptions {
  /** Longest line in bytes (before cleaning), default 4096. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 4096;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

export class LineAssembler {
  private readonly maxLineBytes: number;
  private buf: Buffer;
  private len = 0;
  /** Inside an overlong line: drop bytes until the next line end. */
  private discarding = false;
  /** Bytes dropped since the overlong line was last reported. */
  private discarded = 0;
  private halted = false;
  /** Last byte was CR: a following LF or NUL belongs to the same line end. */
  private afterCR = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    opts: LineAssemblerOptions,
    private readonly onLine: (line: string) => void,
    private readonly onProblem: (p: LineProblem) => void,
  ) {
    const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxLineBytes must be a positive integer, got ${max}`);
    this.maxLineBytes = max;
    // Start small and grow: most lines are short, and the cap bounds growth.
    this.buf = Buffer.alloc(Math.min(max, 256));
  }

  /** The line typed so far, for a successor process (portal/handover.ts). */
  snapshot(): PartialLine {
    return { bytes: toBase64(Buffer.from(this.buf.subarray(0, this.len))), discarding: this.discarding, discarded: this.discarded, afterCR: this.afterCR };
  }

  /** Continues a predecessor's line where it stopped. */
  restore(s: PartialLine): void {
    const bytes = fromBase64(s.bytes).subarray(0, this.maxLineBytes);
    this.len = 0;
    while (bytes.length > this.buf.length) this.grow();
    this.len = bytes.copy(this.buf);
    this.discarding = s.discarding;
    this.discarded = s.discarded;
    this.afterCR = s.afterCR;
  }

  /** Stops all work: the rest of a chunk in progress, and every later push, is dropped. */
  halt(): void {
    this.halted = true;
  }

  /** Line ends are found with `indexOf`; the bytes between are copied in one go. */
  push(bytes: Buffer): void {
    const n = bytes.length;
    let i = 0;
    if (this.afterCR && n > 0) {
      this.afterCR = false;
      if (bytes[0] === LF || bytes[0] === NUL) i = 1;
    }
    // Next LF and CR at or after i, each searched again only once passed.
    let lf = -2;
    let cr = -2;
    while (i < n && !this.halted) {
      if (lf !== -1 && lf < i) lf = bytes.indexOf(LF, i);
      if (cr !== -1 && cr < i) cr = bytes.indexOf(CR, i);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) {
        this.append(bytes, i, n);
        return;
      }
      this.append(bytes, i, end);
      this.endLine();
      i = end + 1;
      if (bytes[end] === CR) {
        if (i === n) this.afterCR = true;
        else if (bytes[i] === LF || bytes[i] === NUL) i++;
      }
    }
  }

  private append(bytes: Buffer, from: number, to: number): void {
    if (to === from) return;
    if (!this.discarding && this.len + (to - from) > this.maxLineBytes) {
      this.discarding = true;
      this.discarded = this.len;
      this.len = 0;
      this.onProblem('too-long');
    }
    if (this.discarding) {
      // A "line" that never ends is reported again every 16 line lengths, so the
      // session can count it as the garbage it is.
      this.discarded += to - from;
      for (; this.discarded >= this.maxLineBytes * 16; this.discarded -= this.maxLineBytes * 16) this.onProblem('too-long');
      return;
    }
    while (this.len + (to - from) > this.buf.length) this.grow();
    bytes.copy(this.buf, this.len, from, to);
    this.len += to - from;
  }

  private grow(): void {
    const bigger = Buffer.alloc(Math.min(this.buf.length * 2, this.maxLineBytes));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  private endLine(): void {
    if (this.discarding) {
      this.discarding = false; // the overlong line ends here; it was reported already
      return;
    }
    const raw = this.buf.subarray(0, this.len);
    this.len = 0;
    // Validated natively first: a decoder's exception per garbage line costs far more.
    if (!isUtf8(raw)) return this.onProblem('invalid-utf8');
    this.onLine(clean(this.decoder.decode(raw)));
  }
}

/** Apply backspace/DEL, turn TAB into a space, drop other control characters
 *  (C0, DEL, C1), drop invisible characters and bound combining marks
 *  (portal/visible-text.ts), and trim. Works on code points so a backspace removes
 *  a whole non-BMP character, not half a surrogate pair. */
export function clean(text: string): string {
  if (!CONTROL.test(text)) return visibleText(text).trim(); // the usual line: nothing to walk through
  const out: string[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0x08 || c === 0x7f) out.pop();
    else if (c === 0x09) out.push(' ');
    else if (c >= 0x20 && (c < 0x80 || c > 0x9f)) out.push(ch);
  }
  return visibleText(out.join('')).trim();
}
