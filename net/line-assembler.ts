// Turns the application data coming out of TelnetProtocol into text lines.
// Telnet clients end lines with LF, CR LF, CR NUL or a bare CR; all count as
// one line end. Raw bytes are buffered until the line end and decoded then,
// so a UTF-8 character split across chunks needs no special handling.

export type LineProblem = 'too-long' | 'invalid-utf8';

export interface LineAssemblerOptions {
  /** Longest line in bytes (before cleaning), default 4096. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 4096;

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

export class LineAssembler {
  private readonly maxLineBytes: number;
  private buf: Buffer;
  private len = 0;
  /** Inside an overlong line: drop bytes until the next line end. */
  private discarding = false;
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

  push(bytes: Buffer): void {
    for (let i = 0; i < bytes.length; i++) this.byte(bytes[i]!);
  }

  private byte(b: number): void {
    if (this.afterCR) {
      this.afterCR = false;
      if (b === LF || b === NUL) return;
    }
    if (b === LF || b === CR) {
      this.afterCR = b === CR;
      this.endLine();
      return;
    }
    if (this.discarding) return;
    if (this.len >= this.maxLineBytes) {
      this.discarding = true;
      this.len = 0;
      this.onProblem('too-long');
      return;
    }
    if (this.len === this.buf.length) this.grow();
    this.buf[this.len++] = b;
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
    let text: string;
    try {
      text = this.decoder.decode(raw);
    } catch {
      this.onProblem('invalid-utf8');
      return;
    }
    this.onLine(clean(text));
  }
}

/** Apply backspace/DEL, turn TAB into a space, drop other control characters
 *  (C0, DEL, C1) and trim. Works on code points so a backspace removes a whole
 *  non-BMP character, not half a surrogate pair. */
export function clean(text: string): string {
  const out: string[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0x08 || c === 0x7f) out.pop();
    else if (c === 0x09) out.push(' ');
    else if (c >= 0x20 && (c < 0x80 || c > 0x9f)) out.push(ch);
  }
  return out.join('').trim();
}
