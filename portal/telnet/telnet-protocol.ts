// Telnet protocol layer as a pure byte-level state machine: no sockets, no
// timers. Bytes from the peer go into receive(); application data, events and
// bytes to send back come out through callbacks. Parsing state lives entirely
// in fields, so any split of the input across chunks gives the same result.
//
// RFC 854/855 (commands, subnegotiation), RFC 1143 (Q method, see
// telnet-options.ts), RFC 885 (EOR), RFC 1073 (NAWS), RFC 1091 (TTYPE) with
// the MUD Terminal Type Standard (MTTS) cycling (terminal-type.ts).

import { RateLimit } from '../rate-limit.js';
import type { TelnetProtocolState } from '../handover.js';
import {
  AO, AYT, BRK, DO, DONT, ECHO, EOR, IAC, IP, NAWS, SB, SE, SGA,
  TTYPE, WILL, WONT, OptionTable, type Side,
} from './telnet-options.js';
import type { TelnetCallbacks, TelnetEvent } from './telnet-events.js';
import { SubnegotiationBuffer } from './subnegotiation.js';
import { TerminalType } from './terminal-type.js';
import { nawsSize } from './naws.js';
import { encodeTelnetText, EOR_MARK, GA_MARK, NO_MARK } from './telnet-text.js';

export * from './telnet-options.js';
export type { TelnetCallbacks, TelnetEvent } from './telnet-events.js';
export { MAX_SUBNEGOTIATION } from './subnegotiation.js';
export { escapeIac } from './telnet-text.js';

/** After this many 'error' events the rest are suppressed, so a hostile peer
 *  cannot turn garbage into a flood of log lines. */
export const MAX_ERROR_EVENTS = 32;
/** Replies a peer can ask for without limit (AYT, WILL/WONT/DO/DONT toggles): a
 *  burst covers a client's opening negotiation; beyond the rate they are ignored. */
export const REPLIES_PER_SECOND = 10;
export const REPLY_BURST = 60;
const AYT_REPLY = [...Buffer.from('\r\n[yes]\r\n', 'latin1')];
const CR = 13;
const NUL = 0;
const IAC_BYTE = Buffer.from([IAC]);

type ParseState = 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac';
const PARSE_STATES: readonly ParseState[] = ['data', 'iac', 'verb', 'sb-option', 'sb', 'sb-iac'];

export class TelnetProtocol {
  private state: ParseState = 'data';
  private verb = 0;
  private afterCR = false;
  private pending: Buffer[] = [];
  private readonly sb = new SubnegotiationBuffer((message) => this.report(message));
  private errors = 0;
  /** Reads the clock, the one impurity: a flood of negotiations must cost its sender. */
  private readonly replies = new RateLimit(REPLIES_PER_SECOND, REPLY_BURST);
  private echoWanted = false;
  private readonly options: OptionTable;
  private _width = 80;
  private _height = 24;
  private readonly ttype = new TerminalType({
    emit: (e) => this.emit(e),
    send: (bytes) => this.send(bytes),
    agreed: () => this.isEnabled(TTYPE, 'remote'),
  });

  constructor(private readonly cb: TelnetCallbacks) {
    this.options = new OptionTable({
      send: (verb, option) => this.send([IAC, verb, option]),
      accept: (option, side) => this.accept(option, side),
      changed: (option, side, enabled) => this.optionChanged(option, side, enabled),
      error: (message) => this.report(message),
    });
  }

  get width(): number { return this._width; }
  get height(): number { return this._height; }
  /** Distinct TTYPE answers in arrival order. */
  get terminalTypes(): string[] { return this.ttype.names; }
  get mttsFlags(): number | undefined { return this.ttype.mttsFlags; }

  isEnabled(option: number, side: Side): boolean {
    return this.options.isEnabled(option, side);
  }

  /** The parser and what was agreed, for a successor process (portal/handover.ts). */
  snapshot(): TelnetProtocolState {
    return {
      state: this.state, verb: this.verb, afterCR: this.afterCR, ...this.sb.snapshot(),
      echoWanted: this.echoWanted, width: this._width, height: this._height, ...this.ttype.snapshot(), options: this.options.snapshot(),
    };
  }

  /** Continues where a predecessor stopped, instead of `start()`: nothing is sent. */
  restore(s: TelnetProtocolState): void {
    this.state = PARSE_STATES.includes(s.state as ParseState) ? (s.state as ParseState) : 'data';
    this.verb = s.verb;
    this.afterCR = s.afterCR;
    this.sb.restore(s);
    this.echoWanted = s.echoWanted;
    this._width = s.width;
    this._height = s.height;
    this.ttype.restore(s);
    this.options.restore(s.options);
  }

  /** Opening offers. SGA is deliberately not offered: clients that want it ask. */
  start(): void {
    this.options.request(EOR, 'local', true);
    this.options.request(NAWS, 'remote', true);
    this.options.request(TTYPE, 'remote', true);
    for (const option of this.cb.localOptions ?? []) this.options.request(option, 'local', true);
  }

  /** On: we WILL ECHO, so the client stops echoing (password entry). */
  setEcho(on: boolean): void {
    this.echoWanted = on;
    this.options.request(ECHO, 'local', on);
  }

  /** Plain data and subnegotiation payloads are found with `indexOf(IAC)` and
   *  passed on as slices; only the bytes around an IAC go through `step`. */
  receive(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.state !== 'data' && this.state !== 'sb') {
        this.step(chunk[i++]!);
        continue;
      }
      const iac = chunk.indexOf(IAC, i);
      const end = iac === -1 ? n : iac;
      if (end > i) {
        if (this.state === 'data') this.dataRun(chunk, i, end);
        else this.sb.run(chunk, i, end);
      }
      if (iac === -1) break;
      this.state = this.state === 'data' ? 'iac' : 'sb-iac';
      i = iac + 1;
    }
    this.flushData();
  }

  /** Text for the peer: "\n" → CR LF, bare "\r" → CR NUL, UTF-8, IAC doubled. */
  encodeText(text: string): Buffer {
    return encodeTelnetText(text);
  }

  /** What to send after a prompt so clients know it is complete. */
  promptMark(): Buffer {
    if (this.isEnabled(EOR, 'local')) return EOR_MARK;
    // With SGA on, GA is suppressed by definition.
    if (!this.isEnabled(SGA, 'local')) return GA_MARK;
    return NO_MARK;
  }

  private step(byte: number): void {
    switch (this.state) {
      case 'data':
        if (byte === IAC) this.state = 'iac';
        else this.dataByte(byte);
        return;
      case 'iac':
        this.command(byte);
        return;
      case 'verb':
        this.state = 'data';
        if (this.replies.take()) this.options.receive(this.verb, byte);
        else this.report('negotiation flood: option requests ignored');
        return;
      case 'sb-option':
        this.sb.start(byte);
        this.state = 'sb';
        return;
      case 'sb':
        if (byte === IAC) this.state = 'sb-iac';
        else this.sb.byte(byte);
        return;
      case 'sb-iac':
        this.sbCommand(byte);
        return;
    }
  }

  /** Data bytes chunk[from, to) with no IAC among them, kept as slices (no copy):
   *  CR NUL means a bare carriage return, so the NUL after a CR is cut out. */
  private dataRun(chunk: Buffer, from: number, to: number): void {
    let start = from;
    for (let nul = chunk.indexOf(NUL, from); nul !== -1 && nul < to; nul = chunk.indexOf(NUL, nul + 1)) {
      const afterCR = nul === from ? this.afterCR : chunk[nul - 1] === CR;
      if (!afterCR) continue;
      if (nul > start) this.pending.push(chunk.subarray(start, nul));
      start = nul + 1;
    }
    if (to > start) this.pending.push(chunk.subarray(start, to));
    this.afterCR = chunk[to - 1] === CR;
  }

  /** The escaped IAC (IAC IAC) in data. */
  private dataByte(byte: number): void {
    this.afterCR = false;
    this.pending.push(byte === IAC ? IAC_BYTE : Buffer.from([byte]));
  }

  /** The byte after IAC in data. */
  private command(byte: number): void {
    this.state = 'data';
    if (byte !== IAC) this.cb.command?.();
    switch (byte) {
      case IAC:
        this.dataByte(IAC);
        return;
      case WILL: case WONT: case DO: case DONT:
        this.verb = byte;
        this.state = 'verb';
        return;
      case SB:
        this.state = 'sb-option';
        return;
      case AYT:
        if (this.replies.take()) this.send(AYT_REPLY);
        else this.report('AYT flood: not answered');
        return;
      case IP: case BRK: case AO:
        this.emit({ type: 'command', command: byte });
        return;
      default:
        // NOP, GA, DM, EC, EL, EOR, a stray SE, unknown codes: nothing to do.
        return;
    }
  }

  /** The byte after IAC inside a subnegotiation. */
  private sbCommand(byte: number): void {
    if (byte === IAC) {
      this.state = 'sb';
      this.sb.byte(IAC);
    } else if (byte === SE) {
      this.state = 'data';
      if (!this.sb.overflow) this.subnegotiation(this.sb.option, this.sb.payload());
    } else {
      // A peer that forgot IAC SE: drop the subnegotiation rather than swallow
      // the stream, and treat the byte as the command it most likely is.
      if (!this.sb.overflow) this.report(`subnegotiation of option ${this.sb.option} cut short by IAC ${byte}`);
      this.command(byte);
    }
  }

  private subnegotiation(option: number, payload: Buffer): void {
    if (option === NAWS) this.naws(payload);
    else if (option === TTYPE) this.ttype.received(payload);
    else if (this.isEnabled(option, 'local')) this.cb.subnegotiation?.(option, payload);
    // Subnegotiations of options not agreed are dropped.
  }

  private naws(payload: Buffer): void {
    const size = nawsSize(payload, { width: this._width, height: this._height });
    if ('error' in size) return this.report(size.error);
    this._width = size.width;
    this._height = size.height;
    this.emit({ type: 'naws', width: this._width, height: this._height });
  }

  private accept(option: number, side: Side): boolean {
    if (side === 'remote') return option === NAWS || option === TTYPE;
    // ECHO only while the server asked for it; the peer cannot switch it on.
    return option === SGA || option === EOR || (option === ECHO && this.echoWanted) || !!this.cb.localOptions?.includes(option);
  }

  private optionChanged(option: number, side: Side, enabled: boolean): void {
    this.emit({ type: 'option', option, side, enabled });
    if (option === TTYPE && side === 'remote' && enabled) this.ttype.agreed();
  }

  private report(message: string): void {
    this.errors++;
    if (this.errors < MAX_ERROR_EVENTS) this.emit({ type: 'error', message });
    else if (this.errors === MAX_ERROR_EVENTS) this.emit({ type: 'error', message: 'too many errors; further errors suppressed' });
  }

  // Pending data goes out before any event or write, so callers see one
  // ordered stream (e.g. the ECHO change lands between the right lines).
  private emit(e: TelnetEvent): void {
    this.flushData();
    this.cb.event?.(e);
  }

  private send(bytes: readonly number[]): void {
    this.flushData();
    this.cb.write(Buffer.from(bytes as number[]));
  }

  private flushData(): void {
    if (this.pending.length === 0) return;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending.length = 0;
    this.cb.data(bytes);
  }
}
