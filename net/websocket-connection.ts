import type { WebSocket } from 'ws';
import { clean } from './line-assembler.js';
import type { SharedText } from './shared-text.js';
import { BufferedConnection } from './buffered-connection.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-budget.js';
import { OUTPUT_HARD_LIMIT, OUTPUT_HIGH_WATER, type Connection } from './connection.js';

const MAX_FRAME_BYTES = 4096;
/** Shared: a non-streaming decode keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A WebSocket as a Connection: text frames in (one or more lines each), text
 *  frames out. A prompt is a frame of its own, so clients and bots can tell
 *  where an answer ends; echo changes are a frame `\u0000echo:off` / `on` that
 *  the web client turns into a password field. */
export class WebSocketConnection extends BufferedConnection<string> implements Connection {
  readonly protocol = 'websocket' as const;

  constructor(private readonly ws: WebSocket, readonly remote: string, limits: InputLimits = DEFAULT_INPUT_LIMITS) {
    super(limits);
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('close', () => this.closedByPeer());
    ws.on('error', () => ws.terminate());
  }

  get congested(): boolean {
    return this.ws.bufferedAmount > OUTPUT_HIGH_WATER;
  }

  write(text: string): void {
    this.queue(text.endsWith('\n') ? text : `${text}\n`);
  }

  writeShared(text: SharedText): void {
    this.queue(text.line);
  }

  prompt(text: string): void {
    this.flush();
    this.sendFrame(text);
  }

  setEcho(visible: boolean): void {
    this.flush();
    this.sendFrame(`\u0000echo:${visible ? 'on' : 'off'}`);
  }

  protected pauseReading(): void {
    this.ws.pause();
  }

  protected resumeReading(): void {
    this.ws.resume();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.ws.close(1000, 'bye');
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    this.lines(data, isBinary);
    this.received(data.length);
  }

  private lines(data: Buffer, isBinary: boolean): void {
    if (data.length > MAX_FRAME_BYTES * 4) return this.problemHandler('too-long');
    let text: string;
    try {
      text = UTF8.decode(data);
    } catch {
      return this.problemHandler('invalid-utf8');
    }
    if (isBinary && text.includes('\u0000')) return this.problemHandler('invalid-utf8');
    // A frame is one or more lines; a final line end does not start another (empty) one.
    for (const raw of text.replace(/(\r\n|\n|\r)$/, '').split(/\r\n|\n|\r/)) {
      if (this.closed) return;
      if (Buffer.byteLength(raw) > MAX_FRAME_BYTES) this.problemHandler('too-long');
      else this.lineHandler(clean(raw));
    }
  }

  protected send(chunks: string[]): void {
    this.sendFrame(chunks.join(''));
  }

  private sendFrame(text: string): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > OUTPUT_HARD_LIMIT) {
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }
}
