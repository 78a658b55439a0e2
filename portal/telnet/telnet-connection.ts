import type { Socket } from 'node:net';
import { GMCP, MCCP2, MSSP, NAWS, SB, SE, IAC, TelnetProtocol, type TelnetEvent } from './telnet-protocol.js';
import { Settling } from '../settling.js';
import { LineAssembler } from './line-assembler.js';
import type { SharedText } from '../shared-text.js';
import { BufferedConnection } from '../buffered-connection.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../input-budget.js';
import { OUTPUT_HIGH_WATER, type Connection, type HandedConnection } from '../connection.js';
import type { TelnetHandoff } from '../handover.js';
import { detach, drained, restartReading, stopReading } from '../socket-handoff.js';
import { rendering, telnetRendering, type Rendering } from '../client-profile.js';
import { DEFAULT_SETTINGS, type PlayerSettings } from '../player/player-settings.js';
import { renderText } from '../text-render.js';
import { styled } from '../../world/core/text-style.js';
import { GmcpSession } from './gmcp.js';
import { gmcpFrame, type OutOfBand } from '../out-of-band.js';
import { msspFrame, msspVariables, type ServerFacts } from './mssp.js';
import { TelnetOutput } from './telnet-output.js';
import { CHARSET, CHARSET_REQUEST, charsetAgreed, charsetLabel, charsetMessage } from './charset.js';
import { EOR_MARK } from './telnet-text.js';

/** What starts an unasked line below a prompt that is still on the player's screen. */
const NEW_LINE = Buffer.from('\r\n');

const MAX_LOGGED_PROBLEMS = 5;

/** What a telnet connection may tell clients about the server (MSSP). Absent: MSSP is not offered. */
export interface TelnetServices {
  facts?: ServerFacts;
  /** Protocol trouble worth a log line (bad GMCP, zlib failure). */
  problem?(remote: string, message: string): void;
}

/** A telnet socket as a Connection: the protocol state machine in front,
 *  lines out of the assembler, text rendered for what the client negotiated
 *  (colour, width), GMCP for out-of-band data, MCCP2 once agreed, and output
 *  batched into one socket write per tick. */
export class TelnetConnection extends BufferedConnection<Buffer> implements Connection {
  readonly protocol = 'telnet' as const;
  readonly remote: string;
  private readonly telnet: TelnetProtocol;
  private readonly lines: LineAssembler;
  private readonly gmcp = new GmcpSession();
  private settings: PlayerSettings = DEFAULT_SETTINGS;
  private nawsWidth: number | undefined;
  private _rendering: Rendering;
  /** The socket, or MCCP2 in front of it. */
  private readonly output: TelnetOutput;
  /** What options settled that outlives a `mud upgrade` (handed over whole): CHARSET's agreement, which
   *  overrides what MTTS said of UTF-8. */
  private agreements: Record<string, string> = {};
  private problems = 0;
  /** The peer's last command came within its input budget: a GMCP ping beyond it is not answered. */
  private answerable = true;
  /** The last prompt's bytes and what they were made for. */
  private promptMade: { rendering: Rendering; mark: Buffer; text: string; bytes: Buffer; shown: boolean } | undefined;
  /** A prompt is the last thing on the player's screen and their client does not know prompts (no EOR agreed: a
   *  plain `telnet`): the next unasked line starts on a line of its own, not after "> ", as in Diku and Merc. A
   *  client that agreed to EOR ends the prompt's line itself; after a line the player typed, the terminal has. */
  private promptOnScreen = false;
  /** Until the client's window size is known (or refused, or a short wait is over). */
  private readonly settling = new Settling();

  /** `resumed`: the state a predecessor process handed over with the socket (`mud upgrade`): the
   *  negotiation is not started again, and MCCP2, if it was on, starts a new stream. */
  constructor(private readonly socket: Socket, private readonly services: TelnetServices = {}, limits: InputLimits = DEFAULT_INPUT_LIMITS, resumed?: TelnetHandoff) {
    super(limits);
    this.remote = resumed?.remote ?? `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    this.output = new TelnetOutput(socket, (message) => this.problem(message));
    this.lines = new LineAssembler({}, (l) => {
      this.promptOnScreen = false;
      this.lineHandler(l);
    }, (p) => this.problemHandler(p));
    this.telnet = new TelnetProtocol({
      write: (bytes) => this.queue(bytes),
      data: (bytes) => {
        if (!this.closed) this.lines.push(bytes);
      },
      event: (e) => {
        if (e.type === 'error') this.problemHandler('garbage');
        else this.event(e);
      },
      localOptions: services.facts ? [GMCP, MCCP2, MSSP, CHARSET] : [GMCP, MCCP2, CHARSET],
      subnegotiation: (option, payload) => this.subnegotiation(option, payload),
      // A negotiation or a GMCP ping costs a unit of the budget, as a line does.
      command: () => void (this.answerable = this.charge()),
    });
    this._rendering = this.rerender();
    socket.on('data', (chunk) => {
      // Once closed (a dropped flooder too), what it still sends is not even parsed.
      if (this.closed) return;
      this.telnet.receive(chunk);
      this.received(chunk.length);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.closedByPeer());
    if (resumed) this.resumeFrom(resumed);
    else this.telnet.start();
    restartReading(socket); // one this process handed off and takes back
    socket.resume(); // a door's socket, or a handed one, waits paused until now
  }

  /** Carries on from a predecessor's state. */
  private resumeFrom(r: TelnetHandoff): void {
    this.telnet.restore(r.telnet);
    this.lines.restore(r.line);
    this.gmcp.restore(r.gmcp);
    this.nawsWidth = r.nawsWidth;
    this.agreements = { ...r.agreements };
    this.settling.settle();
    this._rendering = this.rerender();
    this.setTakesData(this.telnet.isEnabled(GMCP, 'local'));
    if (r.compressing && this.telnet.isEnabled(MCCP2, 'local')) this.startCompression();
  }

  protected stopInput(): void {
    stopReading(this.socket);
  }

  async handOff(): Promise<HandedConnection | undefined> {
    if (this.closed || this.socket.destroyed) return undefined;
    this.flush();
    // MCCP2 ends with its stream: the successor's bytes start plain, then a new stream.
    const compressing = await this.output.finish();
    if (!(await drained(this.socket)) || this.closed) return undefined;
    this.closed = true;
    this.lines.halt();
    detach(this.socket);
    const state: TelnetHandoff = {
      protocol: 'telnet', remote: this.remote, telnet: this.telnet.snapshot(), line: this.lines.snapshot(), gmcp: this.gmcp.snapshot(),
      nawsWidth: this.nawsWidth, compressing, agreements: this.agreements,
    };
    return { socket: this.socket, state };
  }

  get congested(): boolean {
    return this.output.backlog > OUTPUT_HIGH_WATER;
  }

  get size(): { width: number; height: number } { return { width: this.telnet.width, height: this.telnet.height }; }

  get terminalTypes(): string[] { return this.telnet.terminalTypes; }

  get rendering(): Rendering { return this._rendering; }

  /** What the client negotiated, for `config`. */
  get clientSummary(): string {
    const name = this.gmcp.client?.name || this.telnet.terminalTypes[0] || 'an unknown client';
    const charset = charsetAgreed(this.agreements);
    const protocols = [this.telnet.isEnabled(GMCP, 'local') && 'GMCP', this.output.compressing && 'MCCP2', charset && charsetLabel(charset)].filter(Boolean);
    return `${name}${protocols.length ? ` (${protocols.join(', ')})` : ''}`;
  }

  configure(settings: PlayerSettings): void {
    this.settings = settings;
    this._rendering = this.rerender();
  }

  write(text: string): void {
    const shown = renderText(text, this._rendering);
    this.belowPrompt();
    this.queue(this.telnet.encodeText(shown.endsWith('\n') ? shown : `${shown}\n`));
  }

  writeShared(text: SharedText): void {
    this.belowPrompt();
    this.queue(text.telnetBytes(this._rendering));
  }

  private belowPrompt(): void {
    if (!this.promptOnScreen) return;
    this.promptOnScreen = false;
    this.queue(NEW_LINE);
  }

  /** The prompt, once per command per player: its bytes are kept for the
   *  rendering and the prompt mark they were made for. */
  prompt(text: string): void {
    const mark = this.telnet.promptMark();
    const made = this.promptMade;
    if (!made || made.rendering !== this._rendering || made.mark !== mark || made.text !== text) {
      // A screen reader reads the prompt aloud after every answer: the bare "> " is left to the GA/EOR
      // mark; a question ("By what name shall you be known?") is still asked.
      const shown = this._rendering.screenReader && text.trim() === '>' ? Buffer.alloc(0) : this.telnet.encodeText(renderText(styled('prompt', text), this._rendering));
      this.promptMade = { rendering: this._rendering, mark, text, bytes: Buffer.concat([shown, mark]), shown: shown.length > 0 && shown[shown.length - 1] !== 0x0a };
    }
    this.queue(this.promptMade!.bytes);
    this.promptOnScreen = this.promptMade!.shown && mark !== EOR_MARK;
  }

  emit(oob: OutOfBand): void {
    if (this.telnet.isEnabled(GMCP, 'local') && this.gmcp.wants(oob.pkg)) this.queue(oob.gmcpFrame());
  }

  setEcho(visible: boolean): void {
    this.telnet.setEcho(!visible);
  }

  protected pauseReading(): void { this.socket.pause(); }

  protected resumeReading(): void { this.socket.resume(); }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.lines.halt();
    this.socket.pause();
    const end = () => {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 2000).unref();
    };
    this.output.end(end);
  }

  protected override closedByPeer(): void {
    this.output.destroy();
    super.closedByPeer();
  }

  protected override queue(bytes: Buffer): void {
    if (bytes.length > 0) super.queue(bytes);
  }

  protected send(chunks: readonly Buffer[], count: number): void {
    if (!this.socket.destroyed) this.output.send(chunks, count);
  }

  settled(): Promise<void> {
    return this.settling.done;
  }

  private event(e: TelnetEvent): void {
    if (e.type === 'naws' || (e.type === 'option' && e.option === NAWS && e.side === 'remote' && !e.enabled)) this.settling.settle();
    if (e.type === 'naws') this.nawsWidth = e.width;
    if (e.type === 'naws' || e.type === 'ttype' || e.type === 'mtts') this._rendering = this.rerender();
    else if (e.type === 'option' && e.side === 'local') this.optionChanged(e.option, e.enabled);
  }

  private rerender(): Rendering {
    const r = telnetRendering({ types: this.telnet.terminalTypes, mtts: this.telnet.mttsFlags, width: this.nawsWidth }, this.settings);
    const charset = charsetAgreed(this.agreements);
    const ascii = charset === undefined ? r.ascii : charset === 'ascii';
    return ascii === r.ascii ? r : rendering(r.color, r.width, r.screenReader, ascii);
  }

  private optionChanged(option: number, enabled: boolean): void {
    if (option === GMCP) this.setTakesData(enabled);
    else if (option === MSSP && enabled && this.services.facts) this.queue(msspFrame(msspVariables(this.services.facts)));
    else if (option === CHARSET && enabled) this.queue(CHARSET_REQUEST);
    else if (option === MCCP2) {
      if (enabled && !this.output.compressing) this.startCompression();
      else if (!enabled && this.output.compressing) {
        this.flush();
        this.output.plain();
      }
    }
  }

  /** IAC SB MCCP2 IAC SE is the last plain byte; everything after it is compressed. */
  private startCompression(): void {
    this.queue(Buffer.from([IAC, SB, MCCP2, IAC, SE]));
    this.flush();
    if (!this.socket.destroyed) this.output.compress();
  }

  private subnegotiation(option: number, payload: Buffer): void {
    if (option === CHARSET) return this.charsetMessage(payload);
    if (option !== GMCP) return;
    const request = this.gmcp.receive(payload);
    if (request.t === 'ping' && this.answerable) this.queue(gmcpFrame('Core.Ping'));
    else if (request.t === 'error') this.problem(request.message);
  }

  /** The client's CHARSET answer or request: what it reads from now on, and our answer. */
  private charsetMessage(payload: Buffer): void {
    const m = charsetMessage(payload);
    if (m.reply) this.queue(m.reply);
    if (m.problem) this.problem(m.problem);
    if (m.agreed === undefined || m.agreed === this.agreements.charset) return;
    this.agreements.charset = m.agreed;
    this._rendering = this.rerender();
  }

  /** Logged, but only the first few per connection: a broken client must not flood the log. */
  private problem(message: string): void {
    this.problems += 1;
    if (this.problems <= MAX_LOGGED_PROBLEMS) this.services.problem?.(this.remote, this.problems === MAX_LOGGED_PROBLEMS ? `${message} (further problems not logged)` : message);
  }
}
