import WebSocket from 'ws';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

/** One bot's connection to the game, whatever carries it: send a line, get the
 *  text up to the next prompt. The server answers one command at a time, so a
 *  bot has at most one `command` outstanding. */
export interface BotLink {
  /** The welcome screen, up to the login prompt. */
  greeting(timeoutMs: number): Promise<string>;
  command(line: string, timeoutMs: number): Promise<string>;
  send(line: string): void;
  readonly isClosed: boolean;
  waitClosed(timeoutMs: number): Promise<void>;
  /** Drops the connection at once (idempotent). */
  close(): void;
}

export async function openLink(opts: { ws: boolean; host: string; telnetPort: number; httpPort: number }): Promise<BotLink> {
  if (opts.ws) return WebSocketLink.open(`ws://${opts.host}:${opts.httpPort}/play`);
  return new TelnetLink(await TelnetClient.open(opts.telnetPort, opts.host));
}

class TelnetLink implements BotLink {
  constructor(private readonly client: TelnetClient) {}
  greeting(timeoutMs: number): Promise<string> { return this.client.nextAnswer(timeoutMs); }
  command(line: string, timeoutMs: number): Promise<string> { return this.client.command(line, timeoutMs); }
  send(line: string): void { this.client.send(line); }
  get isClosed(): boolean { return this.client.isClosed; }
  waitClosed(timeoutMs: number): Promise<void> { return this.client.waitClosed(timeoutMs); }
  close(): void { this.client.close(); }
}

/** WebSocket play: a prompt is a frame of its own and, unlike every written
 *  line, does not end in "\n"; frames starting with NUL are control frames. */
class WebSocketLink implements BotLink {
  private text = '';
  private answers: string[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(data.toString()));
    ws.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    ws.on('error', () => undefined);
  }

  static open(url: string): Promise<WebSocketLink> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      // Listen before 'open': the welcome may ride in the same packet as the handshake.
      const link = new WebSocketLink(ws);
      ws.once('open', () => resolve(link));
      ws.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  greeting(timeoutMs: number): Promise<string> {
    return this.next(timeoutMs);
  }

  command(line: string, timeoutMs: number): Promise<string> {
    this.answers = [];
    this.send(line);
    return this.next(timeoutMs);
  }

  send(line: string): void {
    if (!this.closed && this.ws.readyState === WebSocket.OPEN) this.ws.send(line);
  }

  async waitClosed(timeoutMs: number): Promise<void> {
    await this.until(() => this.closed, timeoutMs, 'the connection to close');
  }

  close(): void {
    this.closed = true;
    this.ws.terminate();
  }

  private async next(timeoutMs: number): Promise<string> {
    await this.until(() => this.answers.length > 0, timeoutMs, 'a prompt');
    return this.answers.shift()!;
  }

  private receive(frame: string): void {
    if (frame.startsWith('\u0000')) return;
    if (frame.endsWith('\n') || frame === '') {
      this.text += frame;
      return;
    }
    // The game prompt ("> ", or "87/100hp> " while hurt) ends an answer; other prompts are kept.
    this.answers.push(frame.endsWith('> ') ? this.text : this.text + frame);
    this.text = '';
    this.waiter?.();
  }

  private until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (test()) return finish(resolve);
        if (this.closed) finish(() => reject(new Error(`connection closed while waiting for ${what}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
      const finish = (then: () => void) => {
        clearTimeout(timer);
        this.waiter = undefined;
        then();
      };
      this.waiter = check;
      check();
    });
  }
}
