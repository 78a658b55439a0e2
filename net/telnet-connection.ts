import type { Socket } from 'node:net';
import { TelnetProtocol } from './telnet-protocol.js';
import { LineAssembler } from './line-assembler.js';
import type { SharedText } from './shared-text.js';
import { BufferedConnection } from './buffered-connection.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-budget.js';
import { OUTPUT_HARD_LIMIT, OUTPUT_HIGH_WATER, type Connection } from './connection.js';

/** A telnet socket as a Connection: the protocol state machine in front,
 *  lines out of the assembler, output batched into one socket write per tick. */
export class TelnetConnection extends BufferedConnection<Buffer> implements Connection {
  readonly protocol = 'telnet' as const;
  readonly remote: string;
  private readonly telnet: TelnetProtocol;
  private readonly lines: LineAssembler;

  constructor(private readonly socket: Socket, limits: InputLimits = DEFAULT_INPUT_LIMITS) {
    super(limits);
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    this.lines = new LineAssembler({}, (l) => this.lineHandler(l), (p) => this.problemHandler(p));
    this.telnet = new TelnetProtocol({
      write: (bytes) => this.queue(bytes),
      data: (bytes) => {
        if (!this.closed) this.lines.push(bytes);
      },
      event: (e) => {
        if (e.type === 'error') this.problemHandler('garbage');
      },
    });
    socket.on('data', (chunk) => {
      // Once closed (a dropped flooder too), what it still sends is not even parsed.
      if (this.closed) return;
      this.telnet.receive(chunk);
      this.received(chunk.length);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.closedByPeer());
    this.telnet.start();
  }

  get congested(): boolean {
    return this.socket.writableLength > OUTPUT_HIGH_WATER;
  }

  get size(): { width: number; height: number } {
    return { width: this.telnet.width, height: this.telnet.height };
  }

  get terminalTypes(): string[] {
    return this.telnet.terminalTypes;
  }

  write(text: string): void {
    this.queue(this.telnet.encodeText(text.endsWith('\n') ? text : `${text}\n`));
  }

  writeShared(text: SharedText): void {
    this.queue(text.telnetBytes());
  }

  prompt(text: string): void {
    this.queue(this.telnet.encodeText(text));
    this.queue(this.telnet.promptMark());
  }

  setEcho(visible: boolean): void {
    this.telnet.setEcho(!visible);
  }

  protected pauseReading(): void {
    this.socket.pause();
  }

  protected resumeReading(): void {
    this.socket.resume();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.lines.halt();
    this.socket.pause();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  protected override queue(bytes: Buffer): void {
    if (bytes.length > 0) super.queue(bytes);
  }

  protected send(chunks: Buffer[]): void {
    if (this.socket.destroyed) return;
    const chunk = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    if (this.socket.writableLength + chunk.length > OUTPUT_HARD_LIMIT) {
      // A peer that reads nothing while the world talks to it: let it go rather than hoard memory.
      this.socket.destroy();
      return;
    }
    this.socket.write(chunk);
  }
}
