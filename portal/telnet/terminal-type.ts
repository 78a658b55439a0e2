// RFC 1091 (TTYPE) with the MUD Terminal Type Standard (MTTS) cycling: each SEND
// asks for the next name (client name, terminal type, "MTTS <n>").

import type { TelnetProtocolState } from '../handover.js';
import { IAC, SB, SE, TTYPE, TTYPE_IS, TTYPE_SEND } from './telnet-options.js';
import type { TelnetEvent } from './telnet-events.js';

/** MTTS: client name, terminal type, "MTTS <n>" — never ask more than this. */
const MAX_TTYPE_ASKS = 3;

/** What a terminal-type exchange needs of the protocol it runs in. */
export interface TerminalTypePeer {
  emit(e: TelnetEvent): void;
  send(bytes: readonly number[]): void;
  /** TTYPE is agreed on the peer's side: we may ask. */
  agreed(): boolean;
}

/** The names a peer gives for its terminal, asked for one at a time until it repeats itself. */
export class TerminalType {
  private readonly types: string[] = [];
  private lastType: string | undefined;
  private ttypeAsks = 0;
  private ttypeAwaiting = false;
  private _mtts: number | undefined;

  constructor(private readonly peer: TerminalTypePeer) {}

  /** Distinct TTYPE answers in arrival order. */
  get names(): string[] { return [...this.types]; }
  get mttsFlags(): number | undefined { return this._mtts; }

  snapshot(): Pick<TelnetProtocolState, 'types' | 'lastType' | 'ttypeAsks' | 'ttypeAwaiting' | 'mtts'> {
    return { types: [...this.types], lastType: this.lastType, ttypeAsks: this.ttypeAsks, ttypeAwaiting: this.ttypeAwaiting, mtts: this._mtts };
  }

  restore(s: TelnetProtocolState): void {
    this.types.splice(0, this.types.length, ...s.types);
    this.lastType = s.lastType;
    this.ttypeAsks = s.ttypeAsks;
    this.ttypeAwaiting = s.ttypeAwaiting;
    this._mtts = s.mtts;
  }

  /** An `IS` subnegotiation. */
  received(payload: Buffer): void {
    if (payload.length === 0 || payload[0] !== TTYPE_IS) return; // we never answer SEND
    // Terminal names are ASCII (RFC 1091); drop anything else so a name is safe to log.
    const name = payload.subarray(1).toString('latin1').replace(/[^\x20-\x7e]/g, '');
    this.peer.emit({ type: 'ttype', name });
    const repeat = name === this.lastType;
    this.lastType = name;
    if (!this.types.includes(name)) this.types.push(name);
    const mtts = /^MTTS (\d{1,10})$/.exec(name);
    if (mtts) {
      this._mtts = Number(mtts[1]);
      this.peer.emit({ type: 'mtts', flags: this._mtts });
    }
    const asked = this.ttypeAwaiting;
    this.ttypeAwaiting = false;
    // A repeated answer means the client has no (more) types to cycle through.
    if (asked && !repeat && !mtts && this.ttypeAsks < MAX_TTYPE_ASKS) this.ask();
  }

  /** A fresh agreement starts a fresh MTTS cycle. */
  agreed(): void {
    this.ttypeAsks = 0;
    this.lastType = undefined;
    this.ask();
  }

  private ask(): void {
    if (!this.peer.agreed()) return;
    this.ttypeAsks++;
    this.ttypeAwaiting = true;
    this.peer.send([IAC, SB, TTYPE, TTYPE_SEND, IAC, SE]);
  }
}
