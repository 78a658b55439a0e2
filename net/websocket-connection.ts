import type { WebSocket } from 'ws';
import { clean } from './line-assembler.js';
import type { SharedText } from './shared-text.js';
import { OUTPUT_HARD_LIMIT, OUTPUT_HIGH_WATER, type Connection } from './connection.js';

const MAX_FRAME_BYTES = 4096;

/** A WebSocket as a Connection: text frames in (one or more lines each), text
 *  frames out. A prompt is a frame of its own, so clients and bots can tell
 *  where an answer ends; echo changes are a frame `\u0000echo:off` / `on` that
 *  the web client turns into a password field. */
export class WebSocketConnection implements Connection {
  readonly protocol = 'websocket' as const;
  private out: string[] = [];
  private scheduled = false;
  private closed = false;
  private lineHandler: (line: string) => void = () => undefined;
  private problemHandler: (p: 'too-long' | 'invalid-utf8') => void = () => undefined;
  private closeHandlers: Array<() => void> = [];

  constructor(private readonly ws: WebSocket, readonly remote: string) {
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
    this.send(text);
  }

  setEcho(visible: boolean): void {
    this.flush();
    this.send(`\u0000echo:${visible ? 'on' : 'off'}`);
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    if (!this.closed) this.ws.resume();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.ws.close(1000, 'bye');
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  onLine(handler: (line: string) => void): void {
    this.lineHandler = handler;
  }

  onProblem(handler: (p: 'too-long' | 'invalid-utf8') => void): void {
    this.problemHandler = handler;
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (data.length > MAX_FRAME_BYTES * 4) return this.problemHandler('too-long');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      return this.problemHandler('invalid-utf8');
    }
    if (isBinary && text.includes('\u0000')) return this.problemHandler('invalid-utf8');
    for (const raw of text.split(/\r\n|\n|\r/)) {
      if (Buffer.byteLength(raw) > MAX_FRAME_BYTES) this.problemHandler('too-long');
      else this.lineHandler(clean(raw));
    }
  }

  private queue(text: string): void {
    if (this.closed) return;
    this.out.push(text);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.out.length === 0) return;
    const text = this.out.join('');
    this.out = [];
    this.send(text);
  }

  private send(text: string): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > OUTPUT_HARD_LIMIT) {
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }

  private closedByPeer(): void {
    this.closed = true;
    for (const h of this.closeHandlers.splice(0)) h();
  }
}

