import { connect, type Socket } from 'node:net';
import { createInflate, type Inflate } from 'node:zlib';
import { DO, DONT, EOR, EOR_CMD, GA, GMCP, IAC, MCCP2, MSSP, NAWS, SB, SE, TTYPE, TTYPE_IS, WILL, WONT } from './telnet-options.js';
import { CHARSET } from './charset.js';

/** What a test client agrees to, as a MUD client would. */
export interface RawTelnetOptions {
  gmcp?: boolean;
  mccp?: boolean;
  mssp?: boolean;
  /** NAWS width to report; undefined refuses NAWS. */
  width?: number;
  /** TTYPE answers, in cycle order (the last one repeats). Empty refuses TTYPE. */
  ttypes?: string[];
  /** Agrees to CHARSET and answers the server's request for UTF-8 so; undefined refuses CHARSET. */
  charset?: 'accept' | 'reject';
  /** false refuses EOR, as a plain `telnet` does (its prompts end with GA); agreed otherwise, as MUD clients do. */
  eor?: boolean;
}

/** A telnet client for protocol tests: agrees to what it is told to, inflates
 *  MCCP2, collects the text, GMCP messages and MSSP variables, and keeps every
 *  byte of the (decompressed) stream for byte-for-byte comparisons. */
export class RawTelnet {
  text = '';
  readonly gmcp: Array<{ pkg: string; data: unknown }> = [];
  mssp: Record<string, string> | undefined;
  /** The CHARSET subnegotiations the server sent, each without IAC SB CHARSET and IAC SE. */
  readonly charsets: Buffer[] = [];
  /** The stream after decompression, negotiation included. */
  readonly stream: Buffer[] = [];
  compressed = false;
  compressedBytes = 0;
  private state: 'data' | 'iac' | 'verb' | 'sb' | 'sb-iac' = 'data';
  private verb = 0;
  private sb: number[] = [];
  private inflate: Inflate | undefined;
  private ttypeAt = 0;
  private waiters: Array<() => void> = [];
  closed = false;
  /** Options the server offered and this client agreed to. */
  readonly agreed = new Set<number>();

  private constructor(readonly socket: Socket, private readonly opts: RawTelnetOptions) {
    socket.on('data', (chunk: Buffer) => this.raw(chunk));
    socket.on('close', () => {
      // What zlib still holds of the last compressed bytes is text the server sent before closing: closed after it.
      const inflate = this.inflate;
      if (!inflate || inflate.writableFinished) return this.closedNow();
      inflate.once('end', () => this.closedNow());
      inflate.once('error', () => this.closedNow());
      inflate.end();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, opts: RawTelnetOptions = {}): Promise<RawTelnet> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawTelnet(socket, opts)));
      socket.once('error', reject);
    });
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  sendGmcp(message: string): void {
    this.socket.write(Buffer.concat([Buffer.from([IAC, SB, GMCP]), Buffer.from(message), Buffer.from([IAC, SE])]));
  }

  /** IAC SB CHARSET <code> <text> IAC SE: a request of the client's own, or an answer. */
  sendCharset(code: number, text: string): void {
    this.socket.write(Buffer.concat([Buffer.from([IAC, SB, CHARSET, code]), Buffer.from(text, 'latin1'), Buffer.from([IAC, SE])]));
  }

  sendNaws(width: number, height = 40): void {
    this.socket.write(Buffer.from([IAC, SB, NAWS, width >> 8, width & 0xff, height >> 8, height & 0xff, IAC, SE]));
  }

  /** Sends a line and waits for the text to contain `expected` after what is there now. */
  async command(line: string, expected: string | RegExp): Promise<string> {
    const from = this.text.length;
    this.send(line);
    await this.until(() => matches(this.text.slice(from), expected), `${String(expected)} after ${line}`);
    return this.text.slice(from);
  }

  async waitText(expected: string | RegExp): Promise<void> {
    await this.until(() => matches(this.text, expected), String(expected));
  }

  async waitGmcp(pkg: string, test: (data: any) => boolean = () => true): Promise<any> {
    let found: { pkg: string; data: unknown } | undefined;
    await this.until(() => !!(found = this.gmcp.find((m) => m.pkg === pkg && test(m.data))), `GMCP ${pkg}`);
    return found!.data;
  }

  until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; text: ${JSON.stringify(this.text.slice(-400))}`)), timeoutMs);
      const check = () => {
        if (test()) {
          clearTimeout(timer);
          resolve();
        } else if (this.closed) {
          clearTimeout(timer);
          reject(new Error(`closed while waiting for ${what}; text: ${JSON.stringify(this.text.slice(-400))}`));
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private closedNow(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Raw bytes given to zlib: when its stream ends (the server stopped MCCP2), what it did not consume is plain. */
  private fed: Buffer[] = [];

  private raw(chunk: Buffer): void {
    if (this.inflate) {
      this.compressedBytes += chunk.length;
      this.fed.push(chunk);
      this.inflate.write(chunk);
      return;
    }
    for (let i = 0; i < chunk.length; i++) {
      this.byte(chunk[i]!);
      if (this.compressed && !this.inflate) {
        this.stream.push(chunk.subarray(0, i + 1));
        const inflate = createInflate();
        this.inflate = inflate;
        this.fed = [];
        inflate.on('data', (plain: Buffer) => this.plain(plain));
        inflate.on('end', () => this.inflateEnded(inflate));
        const rest = chunk.subarray(i + 1);
        this.compressedBytes += rest.length;
        this.fed.push(rest);
        if (rest.length) inflate.write(rest);
        this.wake();
        return;
      }
    }
    this.stream.push(chunk);
    this.wake();
  }

  /** The compressed stream finished (Z_FINISH): the rest of the stream is plain again. */
  private inflateEnded(inflate: Inflate): void {
    const fed = Buffer.concat(this.fed);
    this.inflate = undefined;
    this.compressed = false;
    this.mccpEnded = true;
    this.raw(fed.subarray(inflate.bytesWritten));
  }

  /** The server finished a compressed stream (after DONT MCCP2). */
  mccpEnded = false;

  private plain(bytes: Buffer): void {
    this.stream.push(bytes);
    for (const b of bytes) this.byte(b);
    this.wake();
  }

  private byte(b: number): void {
    switch (this.state) {
      case 'data':
        if (b === IAC) this.state = 'iac';
        else this.text += String.fromCharCode(b);
        return;
      case 'iac':
        this.state = 'data';
        if (b === IAC) this.text += '\u00ff';
        else if (b === SB) { this.state = 'sb'; this.sb = []; }
        else if (b >= WILL && b <= DONT) { this.verb = b; this.state = 'verb'; }
        else if (b === GA || b === EOR_CMD) this.text += '\u0007';
        return;
      case 'verb':
        this.state = 'data';
        this.negotiate(this.verb, b);
        return;
      case 'sb':
        if (b === IAC) this.state = 'sb-iac';
        else this.sb.push(b);
        return;
      case 'sb-iac':
        if (b === IAC) { this.sb.push(IAC); this.state = 'sb'; return; }
        this.state = 'data';
        if (b === SE) this.subnegotiation(Buffer.from(this.sb));
        return;
    }
  }

  private negotiate(verb: number, option: number): void {
    const yes = (verb === WILL && ((option === GMCP && this.opts.gmcp) || (option === MCCP2 && this.opts.mccp) || (option === MSSP && this.opts.mssp) || (option === CHARSET && !!this.opts.charset) || (option === EOR && this.opts.eor !== false)))
      || (verb === DO && ((option === NAWS && this.opts.width !== undefined) || (option === TTYPE && !!this.opts.ttypes?.length)));
    if (yes) this.agreed.add(option);
    if (verb === WILL) this.socket.write(Buffer.from([IAC, yes ? DO : DONT, option]));
    else if (verb === DO) this.socket.write(Buffer.from([IAC, yes ? WILL : WONT, option]));
    if (verb === DO && option === NAWS && yes) this.sendNaws(this.opts.width!);
  }

  private subnegotiation(sb: Buffer): void {
    const option = sb[0];
    if (option === MCCP2) this.compressed = true;
    else if (option === GMCP) {
      const text = sb.subarray(1).toString('utf8');
      const space = text.indexOf(' ');
      this.gmcp.push(space < 0 ? { pkg: text, data: null } : { pkg: text.slice(0, space), data: JSON.parse(text.slice(space + 1)) });
    } else if (option === MSSP) {
      this.mssp = {};
      const parts = sb.subarray(1).toString('utf8').split('\u0001').filter(Boolean);
      for (const p of parts) {
        const [name, ...values] = p.split('\u0002');
        this.mssp[name!] = values.join(',');
      }
    } else if (option === CHARSET) {
      this.charsets.push(sb.subarray(1));
      // REQUEST: accepted as UTF-8 (2) or rejected (3), as the test asked.
      if (sb[1] === 1) this.sendCharset(this.opts.charset === 'accept' ? 2 : 3, this.opts.charset === 'accept' ? 'UTF-8' : '');
    } else if (option === TTYPE && sb[1] === 1) {
      const types = this.opts.ttypes!;
      const name = types[Math.min(this.ttypeAt++, types.length - 1)]!;
      this.socket.write(Buffer.concat([Buffer.from([IAC, SB, TTYPE, TTYPE_IS]), Buffer.from(name), Buffer.from([IAC, SE])]));
    }
  }
}

function matches(text: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
}
