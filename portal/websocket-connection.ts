import type { WebSocket } from 'ws';
import { clean } from './telnet/line-assembler.js';
import type { SharedText } from './shared-text.js';
import { BufferedConnection } from './buffered-connection.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-budget.js';
import { OUTPUT_HARD_LIMIT, OUTPUT_HIGH_WATER, type Connection, type HandedConnection } from './connection.js';
import { toBase64, type GmcpState } from './handover.js';
import { detach, drained, restartReading, stopReading } from './socket-handoff.js';
import { atFrameBoundary, rawSocket, unparsedBytes } from './websocket-adoption.js';
import { webRendering, type Rendering } from './client-profile.js';
import { DEFAULT_SETTINGS, type PlayerSettings } from './player/player-settings.js';
import { renderText } from './text-render.js';
import type { OutOfBand } from './out-of-band.js';
import { GmcpSession } from './telnet/gmcp.js';

/** The WebSocket subprotocol of the browser client: ANSI colour in text frames
 *  and out-of-band frames `\u0000gmcp Package.Name {json}` both ways, with
 *  GMCP's rules (the client's Core.Supports.Set says which packages it gets).
 *  A client that does not ask for the subprotocol gets plain text only. */
export const PLAY_PROTOCOL = 'lattice-mud.v1';
/** Starts an out-of-band frame either way: `\u0000gmcp Package.Name {json}`. */
const GMCP_FRAME = '\u0000gmcp ';

const MAX_FRAME_BYTES = 4096;
/** A client's control frame: 2 bytes of header and a 4-byte mask before its payload. */
const CONTROL_FRAME_HEADER = 6;
/** Shared: a non-streaming decode keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A WebSocket as a Connection: text frames in (one or more lines each), text
 *  frames out. A prompt is a frame of its own, so clients and bots can tell
 *  where an answer ends; echo changes are a frame `\u0000echo:off` / `on` that
 *  the web client turns into a password field. The client wraps text itself. */
export class WebSocketConnection extends BufferedConnection<string> implements Connection {
  readonly protocol = 'websocket' as const;
  private readonly structured: boolean;
  private readonly gmcp = new GmcpSession();
  private _rendering: Rendering;

  /** `gmcp`: what the browser set up, handed over by a predecessor process (`mud upgrade`). */
  constructor(private readonly ws: WebSocket, readonly remote: string, limits: InputLimits = DEFAULT_INPUT_LIMITS, gmcp?: GmcpState) {
    super(limits);
    if (gmcp) this.gmcp.restore(gmcp);
    this.structured = ws.protocol === PLAY_PROTOCOL;
    this._rendering = webRendering(this.structured, DEFAULT_SETTINGS);
    this.setTakesData(this.structured);
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    // Control frames are input too: the server runs with autoPong off (portal/http-server.ts),
    // so each ping and pong is charged here, and only pings within the budget are answered.
    ws.on('ping', (data) => this.control(data, true));
    ws.on('pong', (data) => this.control(data, false));
    ws.on('close', () => this.closedByPeer());
    ws.on('error', () => ws.terminate());
  }

  get congested(): boolean {
    return this.ws.bufferedAmount > OUTPUT_HIGH_WATER;
  }

  get rendering(): Rendering {
    return this._rendering;
  }

  get clientSummary(): string {
    return this.structured ? 'the browser client' : 'a plain WebSocket client';
  }

  configure(settings: PlayerSettings): void {
    this._rendering = webRendering(this.structured, settings);
  }

  write(text: string): void {
    const shown = renderText(text, this._rendering);
    this.queue(shown.endsWith('\n') ? shown : `${shown}\n`);
  }

  writeShared(text: SharedText): void {
    this.queue(text.text(this._rendering));
  }

  prompt(text: string): void {
    this.flush();
    this.sendFrame(this._rendering.screenReader ? '' : text);
  }

  emit(oob: OutOfBand): void {
    if (!this.structured || !this.gmcp.wants(oob.pkg)) return;
    // Its own frame, after the text before it, so the side panel changes in step with the story.
    this.flush();
    this.sendFrame(`${GMCP_FRAME}${oob.message}`);
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

  protected stopInput(): void {
    const socket = rawSocket(this.ws);
    if (socket) stopReading(socket);
  }

  async handOff(): Promise<HandedConnection | undefined> {
    const socket = rawSocket(this.ws);
    if (this.closed || !socket || this.ws.readyState !== this.ws.OPEN) return undefined;
    this.flush();
    // A frame half read goes on arriving for a moment: the successor must start at a frame's first byte.
    for (let waited = 0; !atFrameBoundary(this.ws) && waited < 1000; waited += 10) {
      restartReading(socket);
      socket.resume();
      await new Promise((r) => setTimeout(r, 10));
      stopReading(socket);
    }
    if (!atFrameBoundary(this.ws) || !(await drained(socket)) || this.closed) return undefined;
    this.closed = true;
    detach(socket);
    return { socket, state: { protocol: 'websocket', remote: this.remote, subprotocol: this.ws.protocol, gmcp: this.gmcp.snapshot(), head: toBase64(unparsedBytes(this.ws)) } };
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

  /** A ping or pong: a unit of the budget and its bytes (with the frame's header). */
  private control(data: Buffer, ping: boolean): void {
    if (this.closed) return;
    const answer = this.charge() && ping;
    this.received(data.length + CONTROL_FRAME_HEADER);
    if (answer && !this.closed && this.ws.readyState === this.ws.OPEN) this.ws.pong(data);
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
    // The browser's own GMCP (Core.Supports.Set): which packages its panel shows.
    if (this.structured && !isBinary && text.startsWith(GMCP_FRAME)) return void this.gmcp.receive(data.subarray(GMCP_FRAME.length));
    // A frame is one or more lines; a final line end does not start another (empty) one.
    for (const raw of text.replace(/(\r\n|\n|\r)$/, '').split(/\r\n|\n|\r/)) {
      if (this.closed) return;
      if (Buffer.byteLength(raw) > MAX_FRAME_BYTES) this.problemHandler('too-long');
      else this.lineHandler(clean(raw));
    }
  }

  protected send(chunks: readonly string[], count: number): void {
    let text = chunks[0];
    for (let i = 1; i < count; i++) text += chunks[i];
    this.sendFrame(text);
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
