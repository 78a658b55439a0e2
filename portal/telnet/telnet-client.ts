import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { DO, DONT, EOR, EOR_CMD, GA, IAC, NAWS, SB, SE, WILL, WONT } from './telnet-options.js';

/** A small telnet client for bots and tests: answers negotiation (agrees to
 *  EOR so prompts are marked, and to NAWS with a window wide enough that the
 *  server never wraps a line; refuses the rest), strips protocol bytes, and
 *  splits what the server says into answers, one per prompt. */
export class TelnetClient {
  private text = '';
  private state: 'data' | 'iac' | 'verb' | 'sb' | 'sb-iac' = 'data';
  private verb = 0;
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  private prompts = 0;
  private closed = false;
  /** Every byte received, for tests that look at the protocol itself. */
  readonly raw: Buffer[] = [];

  private constructor(readonly socket: Socket, private readonly keepRaw: boolean, private readonly width: number) {
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** `width`: the window width told by NAWS (default 1000: no wrapping; 0: refuse NAWS, the server then wraps at 80).
   *  `localAddress` picks the address to connect from (127.0.0.2 and up are loopback too, on Linux). */
  static open(port: number, host = '127.0.0.1', opts: { keepRaw?: boolean; width?: number; localAddress?: string } = {}): Promise<TelnetClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, localAddress: opts.localAddress }, () => resolve(new TelnetClient(socket, !!opts.keepRaw, opts.width ?? 1000)));
      socket.once('error', reject);
    });
  }

  /** The same over TLS (`tls` as node:tls takes it: `ca`, `servername`, ...); resolves once the handshake is done. */
  static openTls(port: number, host: string, tls: ConnectionOptions, opts: { width?: number } = {}): Promise<TelnetClient> {
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({ ...tls, port, host }, () => resolve(new TelnetClient(socket, false, opts.width ?? 1000)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Everything received so far (text only), and then forgets it. */
  drain(): string {
    const t = this.text;
    this.text = '';
    return t;
  }

  send(line: string): void {
    if (!this.closed) this.socket.write(Buffer.from(`${line}\r\n`, 'utf8'));
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends a line and resolves with the text up to the next prompt. */
  async command(line: string, timeoutMs = 10_000): Promise<string> {
    this.drainToPrompt();
    this.send(line);
    return this.nextAnswer(timeoutMs);
  }

  /** Resolves with the text up to the next prompt marker (GA or EOR), less the
   *  game prompt "> " itself (other prompts, like "Password: ", are kept). */
  async nextAnswer(timeoutMs = 10_000): Promise<string> {
    const target = this.prompts + 1;
    await this.until(() => this.prompts >= target, timeoutMs, 'a prompt');
    const at = this.text.indexOf(PROMPT_MARK);
    const answer = this.text.slice(0, at);
    this.text = this.text.slice(at + PROMPT_MARK.length);
    this.prompts -= 1;
    // The game prompt is the last line: "> ", or one the player shaped ("87/100hp> ").
    return answer.endsWith(GAME_PROMPT) ? answer.slice(0, answer.lastIndexOf('\n') + 1) : answer;
  }

  /** Waits until the received text matches. */
  async waitFor(pattern: RegExp | string, timeoutMs = 10_000): Promise<string> {
    const test = () => (typeof pattern === 'string' ? this.text.includes(pattern) : pattern.test(this.text));
    await this.until(test, timeoutMs, String(pattern));
    return this.text;
  }

  async waitClosed(timeoutMs = 10_000): Promise<void> {
    await this.until(() => this.closed, timeoutMs, 'the connection to close');
  }

  close(): void {
    this.socket.destroy();
  }

  private drainToPrompt(): void {
    while (this.prompts > 0) {
      const at = this.text.indexOf(PROMPT_MARK);
      this.text = this.text.slice(at + PROMPT_MARK.length);
      this.prompts -= 1;
    }
  }

  private until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error(`connection closed while waiting for ${what}; got: ${JSON.stringify(this.text.slice(-300))}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got: ${JSON.stringify(this.text.slice(-300))}`));
      }, timeoutMs);
      const waiter = {
        test: () => test() || this.closed,
        resolve: () => {
          clearTimeout(timer);
          if (test()) resolve();
          else reject(new Error(`connection closed while waiting for ${what}; got: ${JSON.stringify(this.text.slice(-300))}`));
        },
      };
      this.waiters.push(waiter);
    });
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.test());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  private receive(chunk: Buffer): void {
    if (this.keepRaw) this.raw.push(chunk);
    let start = 0;
    const flushText = (end: number) => {
      if (end > start) this.text += chunk.toString('utf8', start, end).replace(/\r\n/g, '\n').replace(/\r\0/g, '\r');
    };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.state === 'data') {
        if (b === IAC) {
          flushText(i);
          this.state = 'iac';
        }
        continue;
      }
      start = i + 1;
      this.protocolByte(b);
    }
    if (this.state === 'data') flushText(chunk.length);
    this.wake();
  }

  private protocolByte(b: number): void {
    switch (this.state) {
      case 'iac':
        if (b === IAC) { this.text += '\u00ff'; this.state = 'data'; }
        else if (b === GA || b === EOR_CMD) { this.text += PROMPT_MARK; this.prompts += 1; this.state = 'data'; }
        else if (b === SB) this.state = 'sb';
        else if (b >= WILL && b <= DONT) { this.verb = b; this.state = 'verb'; }
        else this.state = 'data';
        return;
      case 'verb':
        this.answer(this.verb, b);
        this.state = 'data';
        return;
      case 'sb':
        if (b === IAC) this.state = 'sb-iac';
        return;
      case 'sb-iac':
        this.state = b === SE ? 'data' : 'sb';
        return;
      default:
        this.state = 'data';
    }
  }

  private answer(verb: number, option: number): void {
    if (verb === WILL) this.socket.write(Buffer.from([IAC, option === EOR ? DO : DONT, option]));
    else if (verb === DO && option === NAWS && this.width > 0) {
      this.socket.write(Buffer.from([IAC, WILL, NAWS, IAC, SB, NAWS, this.width >> 8, this.width & 0xff, 0, 50, IAC, SE]));
    } else if (verb === DO) this.socket.write(Buffer.from([IAC, WONT, option]));
  }
}

/** Stands for a prompt marker in the collected text. */
const PROMPT_MARK = '\u0001';
const GAME_PROMPT = '> ';
