import { fromBase64, toBase64, type TelnetProtocolState } from '../handover.js';

/** Longest subnegotiation payload we keep; longer ones are dropped. Room for
 *  Mudlet's Core.Supports.Set and other GMCP lists, yet bounded per connection. */
export const MAX_SUBNEGOTIATION = 4096;

/** The payload of the subnegotiation being read (IAC SB <option> ... IAC SE), bounded:
 *  one longer than MAX_SUBNEGOTIATION is reported once and dropped. */
export class SubnegotiationBuffer {
  private _option = 0;
  private readonly buf = Buffer.alloc(MAX_SUBNEGOTIATION);
  private len = 0;
  private _overflow = false;

  constructor(private readonly report: (message: string) => void) {}

  get option(): number { return this._option; }
  /** Past MAX_SUBNEGOTIATION: the rest of it is ignored and it is not delivered. */
  get overflow(): boolean { return this._overflow; }

  start(option: number): void {
    this._option = option;
    this.len = 0;
    this._overflow = false;
  }

  /** The payload so far (a view: valid until the next subnegotiation starts). */
  payload(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** Payload chunk[from, to) with no IAC among them. */
  run(chunk: Buffer, from: number, to: number): void {
    if (this._overflow) return;
    const room = MAX_SUBNEGOTIATION - this.len;
    if (to - from > room) {
      chunk.copy(this.buf, this.len, from, from + room);
      this.len = MAX_SUBNEGOTIATION;
      this.byte(chunk[from + room]!); // reports the overflow
      return;
    }
    chunk.copy(this.buf, this.len, from, to);
    this.len += to - from;
  }

  byte(byte: number): void {
    if (this._overflow) return;
    if (this.len >= MAX_SUBNEGOTIATION) {
      this._overflow = true;
      this.report(`subnegotiation of option ${this._option} longer than ${MAX_SUBNEGOTIATION} bytes dropped`);
      return;
    }
    this.buf[this.len++] = byte;
  }

  snapshot(): Pick<TelnetProtocolState, 'sbOption' | 'sb' | 'sbOverflow'> {
    return { sbOption: this._option, sb: toBase64(Buffer.from(this.payload())), sbOverflow: this._overflow };
  }

  restore(s: TelnetProtocolState): void {
    this._option = s.sbOption;
    this.len = fromBase64(s.sb).copy(this.buf, 0, 0, MAX_SUBNEGOTIATION);
    this._overflow = s.sbOverflow;
  }
}
