// Telnet protocol layer as a pure byte-level state machine: no sockets, no
// timers. Bytes from the peer go into receive(); application data, events and
// bytes to send back come out through callbacks. Parsing state lives entirely
// in fields, so any split of the input across chunks gives the same result.
//
// RFC 854/855 (commands, subnegotiation), RFC 1143 (Q method, see
// telnet-options.ts), RFC 885 (EOR), RFC 1073 (NAWS), RFC 1091 (TTYPE) with
// the MUD Terminal Type Standard (MTTS) cycling.

import { RateLimit } from '../rate-limit.js';
import { fromBase64, toBase64, type TelnetProtocolState } from '../handover.js';
import {
  AO, AYT, BRK, DO, DONT, ECHO, EOR, EOR_CMD, GA, IAC, IP, NAWS, SB, SE, SGA,
  TTYPE, TTYPE_IS, TTYPE_SEND, WILL, WONT, OptionTable, type Side,
} from './telnet-options.js';

export * from './telnet-options.js';

export type TelnetEvent =
  | { type: 'naws'; width: number; height: number }
  | { type: 'ttype'; name: string }
  | { type: 'mtts'; flags: number }
  | { type: 'option'; option: number; side: Side; enabled: boolean }
  /** IP, BRK or AO from the peer: the server may want to react (e.g. to IP). */
  | { type: 'command'; command: number }
  | { type: 'error'; message: string };

export interface TelnetCallbacks {
  /** Bytes to send to the peer. */
  write(bytes: Buffer): void;
  /** Application data: IAC IAC unescaped, negotiation removed, CR NUL → CR. */
  data(bytes: Buffer): void;
  event?(e: TelnetEvent): void;
  /** Options we perform beyond the built-in ones (GMCP, MSSP, MCCP2): offered with WILL at start, agreed to on DO. */
  localOptions?: readonly number[];
  /** A complete subnegotiation of an option this layer does not interpret itself (GMCP messages). */
  subnegotiation?(option: number, payload: Buffer): void;
  /** Every command the peer sends (IAC and a verb, a subnegotiation's start): each costs its sender. */
  command?(): void;
}

/** Longest subnegotiation payload we keep; longer ones are dropped. Room for
 *  Mudlet's Core.Supports.Set and other GMCP lists, yet bounded per connection. */
export const MAX_SUBNEGOTIATION = 4096;
/** After this many 'error' events the rest are suppressed, so a hostile peer
 *  cannot turn garbage into a flood of log lines. */
export const MAX_ERROR_EVENTS = 32;
/** MTTS: client name, terminal type, "MTTS <n>" — never ask more than this. */
const MAX_TTYPE_ASKS = 3;
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
  private sbOption = 0;
  private readonly sbBuf = Buffer.alloc(MAX_SUBNEGOTIATION);
  private sbLen = 0;
  private sbOverflow = false;
  private errors = 0;
  /** Reads the clock, the one impurity: a flood of negotiations must cost its sender. */
  private readonly replies = new RateLimit(REPLIES_PER_SECOND, REPLY_BURST);
  private echoWanted = false;
  private readonly options: OptionTable;
  private _width = 80;
  private _height = 24;
  private readonly types: string[] = [];
  private lastType: string | undefined;
  private ttypeAsks = 0;
  private ttypeAwaiting = false;
  private _mtts: number | undefined;

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
  get terminalTypes(): string[] { return [...this.types]; }
  get mttsFlags(): number | undefined { return this._mtts; }

  isEnabled(option: number, side: Side): boolean {
    return this.options.isEnabled(option, side);
  }

  /** The parser and what was agreed, for a successor process (portal/handover.ts). */
  snapshot(): TelnetProtocolState {
    return {
      state: this.state, verb: this.verb, afterCR: this.afterCR, sbOption: this.sbOption, sb: toBase64(Buffer.from(this.sbBuf.subarray(0, this.sbLen))),
      sbOverflow: this.sbOverflow, echoWanted: this.echoWanted, width: this._width, height: this._height, types: [...this.types],
      lastType: this.lastType, ttypeAsks: this.ttypeAsks, ttypeAwaiting: this.ttypeAwaiting, mtts: this._mtts, options: this.options.snapshot(),
    };
  }

  /** Continues where a predecessor stopped, instead of `start()`: nothing is sent. */
  restore(s: TelnetProtocolState): void {
    this.state = PARSE_STATES.includes(s.state as ParseState) ? (s.state as ParseState) : 'data';
    this.verb = s.verb;
    this.afterCR = s.afterCR;
    this.sbOption = s.sbOption;
    this.sbLen = fromBase64(s.sb).copy(this.sbBuf, 0, 0, MAX_SUBNEGOTIATION);
    this.sbOverflow = s.sbOverflow;
    this.echoWanted = s.echoWanted;
    this._width = s.width;
    this._height = s.height;
    this.types.splice(0, this.types.length, ...s.types);
    this.lastType = s.lastType;
    this.ttypeAsks = s.ttypeAsks;
    this.ttypeAwaiting = s.ttypeAwaiting;
    this._mtts = s.mtts;
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
        else this.sbRun(chunk, i, end);
      }
      if (iac === -1) break;
      this.state = this.state === 'data' ? 'iac' : 'sb-iac';
      i = iac + 1;
    }
    this.flushData();
  }

  /** Text for the peer: "\n" → CR LF, bare "\r" → CR NUL, UTF-8, IAC doubled. */
  encodeText(text: string): Buffer {
    const normalised = text.replace(/\r\n?|\n/g, (m) => (m === '\r' ? '\r\0' : '\r\n'));
    return escapeIac(Buffer.from(normalised, 'utf8'));
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
        this.sbOption = byte;
        this.sbLen = 0;
        this.sbOverflow = false;
        this.state = 'sb';
        return;
      case 'sb':
        if (byte === IAC) this.state = 'sb-iac';
        else this.sbByte(byte);
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
      this.sbByte(IAC);
    } else if (byte === SE) {
      this.state = 'data';
      if (!this.sbOverflow) this.subnegotiation(this.sbOption, this.sbBuf.subarray(0, this.sbLen));
    } else {
      // A peer that forgot IAC SE: drop the subnegotiation rather than swallow
      // the stream, and treat the byte as the command it most likely is.
      if (!this.sbOverflow) this.report(`subnegotiation of option ${this.sbOption} cut short by IAC ${byte}`);
      this.command(byte);
    }
  }

  /** Subnegotiation payload chunk[from, to) with no IAC among them. */
  private sbRun(chunk: Buffer, from: number, to: number): void {
    if (this.sbOverflow) return;
    const room = MAX_SUBNEGOTIATION - this.sbLen;
    if (to - from > room) {
      chunk.copy(this.sbBuf, this.sbLen, from, from + room);
      this.sbLen = MAX_SUBNEGOTIATION;
      this.sbByte(chunk[from + room]!); // reports the overflow
      return;
    }
    chunk.copy(this.sbBuf, this.sbLen, from, to);
    this.sbLen += to - from;
  }

  private sbByte(byte: number): void {
    if (this.sbOverflow) return;
    if (this.sbLen >= MAX_SUBNEGOTIATION) {
      this.sbOverflow = true;
      this.report(`subnegotiation of option ${this.sbOption} longer than ${MAX_SUBNEGOTIATION} bytes dropped`);
      return;
    }
    this.sbBuf[this.sbLen++] = byte;
  }

  private subnegotiation(option: number, payload: Buffer): void {
    if (option === NAWS) this.naws(payload);
    else if (option === TTYPE) this.ttype(payload);
    else if (this.isEnabled(option, 'local')) this.cb.subnegotiation?.(option, payload);
    // Subnegotiations of options not agreed are dropped.
  }

  private naws(payload: Buffer): void {
    if (payload.length !== 4) {
      this.report(`NAWS subnegotiation of ${payload.length} bytes, expected 4`);
      return;
    }
    // RFC 1073: zero means "unknown", so keep what we had for that dimension.
    const width = payload.readUInt16BE(0);
    const height = payload.readUInt16BE(2);
    if (width > 0) this._width = width;
    if (height > 0) this._height = height;
    this.emit({ type: 'naws', width: this._width, height: this._height });
  }

  private ttype(payload: Buffer): void {
    if (payload.length === 0 || payload[0] !== TTYPE_IS) return; // we never answer SEND
    // Terminal names are ASCII (RFC 1091); drop anything else so a name is safe to log.
    const name = payload.subarray(1).toString('latin1').replace(/[^\x20-\x7e]/g, '');
    this.emit({ type: 'ttype', name });
    const repeat = name === this.lastType;
    this.lastType = name;
    if (!this.types.includes(name)) this.types.push(name);
    const mtts = /^MTTS (\d{1,10})$/.exec(name);
    if (mtts) {
      this._mtts = Number(mtts[1]);
      this.emit({ type: 'mtts', flags: this._mtts });
    }
    const asked = this.ttypeAwaiting;
    this.ttypeAwaiting = false;
    // A repeated answer means the client has no (more) types to cycle through.
    if (asked && !repeat && !mtts && this.ttypeAsks < MAX_TTYPE_ASKS) this.askTtype();
  }

  private askTtype(): void {
    if (!this.isEnabled(TTYPE, 'remote')) return;
    this.ttypeAsks++;
    this.ttypeAwaiting = true;
    this.send([IAC, SB, TTYPE, TTYPE_SEND, IAC, SE]);
  }

  private accept(option: number, side: Side): boolean {
    if (side === 'remote') return option === NAWS || option === TTYPE;
    // ECHO only while the server asked for it; the peer cannot switch it on.
    return option === SGA || option === EOR || (option === ECHO && this.echoWanted) || !!this.cb.localOptions?.includes(option);
  }

  private optionChanged(option: number, side: Side, enabled: boolean): void {
    this.emit({ type: 'option', option, side, enabled });
    if (option === TTYPE && side === 'remote' && enabled) {
      // A fresh agreement starts a fresh MTTS cycle.
      this.ttypeAsks = 0;
      this.lastType = undefined;
      this.askTtype();
    }
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

/** Double every IAC byte so the peer reads it as data. UTF-8 text never
 *  contains 0xFF, but callers may pass arbitrary bytes. */
export function escapeIac(bytes: Buffer): Buffer {
  if (bytes.indexOf(IAC) === -1) return bytes;
  const out: number[] = [];
  for (const b of bytes) {
    out.push(b);
    if (b === IAC) out.push(IAC);
  }
  return Buffer.from(out);
}

/** The prompt marks, shared: callers queue them and never write into them. */
const EOR_MARK = Buffer.from([IAC, EOR_CMD]);
const GA_MARK = Buffer.from([IAC, GA]);
const NO_MARK = Buffer.alloc(0);
