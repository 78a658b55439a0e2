// Telnet byte constants and the RFC 1143 "Q method" option table.
//
// The Q method keeps, per option and per side, one of four states plus a
// one-bit queue, and only ever answers a request that changes state. That is
// what makes negotiation loops impossible even against a peer that blindly
// acknowledges everything it receives.

// Commands (RFC 854, RFC 885 for EOR).
export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const GA = 249;
export const EL = 248;
export const EC = 247;
export const AYT = 246;
export const AO = 245;
export const IP = 244;
export const BRK = 243;
export const DM = 242;
export const NOP = 241;
export const SE = 240;
export const EOR_CMD = 239;

// Options.
export const ECHO = 1;
export const SGA = 3;
export const STATUS = 5;
export const TTYPE = 24;
export const EOR = 25;
export const NAWS = 31;
export const MSDP = 69;
export const MSSP = 70;
export const MCCP2 = 86;
export const GMCP = 201;

// TTYPE subnegotiation codes (RFC 1091).
export const TTYPE_IS = 0;
export const TTYPE_SEND = 1;

/** 'local' = we perform the option (WILL/WONT from us, DO/DONT from the peer);
 *  'remote' = the peer performs it (DO/DONT from us, WILL/WONT from the peer). */
export type Side = 'local' | 'remote';

type QState = 'no' | 'yes' | 'wantno' | 'wantyes';
const Q_STATES: readonly QState[] = ['no', 'yes', 'wantno', 'wantyes'];

interface OptionState {
  state: QState;
  /** The RFC 1143 queue bit: the opposite of the pending request is wanted. */
  opposite: boolean;
}

export interface OptionHooks {
  /** Send IAC <verb> <option> to the peer. */
  send(verb: number, option: number): void;
  /** Policy: may the option be enabled on this side when the peer asks? */
  accept(option: number, side: Side): boolean;
  /** The option became enabled (state YES) or stopped being enabled. */
  changed(option: number, side: Side, enabled: boolean): void;
  /** The peer broke the protocol; the table has already recovered. */
  error(message: string): void;
}

/** Verbs we send to say yes/no about one side. */
function verbsFor(side: Side): { yes: number; no: number } {
  return side === 'local' ? { yes: WILL, no: WONT } : { yes: DO, no: DONT };
}

export class OptionTable {
  private readonly local = new Map<number, OptionState>();
  private readonly remote = new Map<number, OptionState>();

  constructor(private readonly hooks: OptionHooks) {}

  isEnabled(option: number, side: Side): boolean {
    const map = side === 'local' ? this.local : this.remote;
    return map.get(option)?.state === 'yes';
  }

  /** Every option's state, for a successor process (portal/handover.ts). */
  snapshot(): { local: Array<[number, string, boolean]>; remote: Array<[number, string, boolean]> } {
    const rows = (map: Map<number, OptionState>) => [...map].map(([o, s]): [number, string, boolean] => [o, s.state, s.opposite]);
    return { local: rows(this.local), remote: rows(this.remote) };
  }

  /** Takes over a predecessor's states as they were: nothing is sent, no change reported. */
  restore(saved: { local: Array<[number, string, boolean]>; remote: Array<[number, string, boolean]> }): void {
    for (const [map, rows] of [[this.local, saved.local], [this.remote, saved.remote]] as const) {
      map.clear();
      for (const [option, state, opposite] of rows) {
        if (Q_STATES.includes(state as QState)) map.set(option, { state: state as QState, opposite });
      }
    }
  }

  /** The peer sent WILL/WONT/DO/DONT <option>. */
  receive(verb: number, option: number): void {
    const side: Side = verb === DO || verb === DONT ? 'local' : 'remote';
    if (verb === WILL || verb === DO) this.peerSaysYes(option, side);
    else this.peerSaysNo(option, side);
  }

  /** We want the option on (or off) on the given side. Idempotent. */
  request(option: number, side: Side, enable: boolean): void {
    const s = this.get(option, side);
    const { yes, no } = verbsFor(side);
    const want: QState = enable ? 'yes' : 'no';
    const pending: QState = enable ? 'wantyes' : 'wantno';
    const reverse: QState = enable ? 'wantno' : 'wantyes';
    if (s.state === want) return;
    if (s.state === pending) {
      s.opposite = false; // cancel a queued reversal, keep waiting
    } else if (s.state === reverse) {
      s.opposite = true; // the peer has not answered yet: queue the reversal
    } else {
      this.set(option, side, pending);
      this.hooks.send(enable ? yes : no, option);
    }
  }

  private peerSaysYes(option: number, side: Side): void {
    const s = this.get(option, side);
    const { yes, no } = verbsFor(side);
    switch (s.state) {
      case 'no':
        if (this.hooks.accept(option, side)) {
          this.hooks.send(yes, option); // answer before side effects of enabling
          this.set(option, side, 'yes');
        } else {
          this.hooks.send(no, option);
        }
        return;
      case 'yes':
        return; // an acknowledgement, or a repeat: never answer it
      case 'wantno':
        this.hooks.error(`peer answered our refusal of option ${option} with yes`);
        this.set(option, side, s.opposite ? 'yes' : 'no');
        s.opposite = false;
        return;
      case 'wantyes':
        if (!s.opposite) {
          this.set(option, side, 'yes');
        } else {
          s.opposite = false;
          this.set(option, side, 'wantno');
          this.hooks.send(no, option);
        }
        return;
    }
  }

  private peerSaysNo(option: number, side: Side): void {
    const s = this.get(option, side);
    const { yes, no } = verbsFor(side);
    switch (s.state) {
      case 'no':
        return;
      case 'yes':
        this.set(option, side, 'no');
        this.hooks.send(no, option);
        return;
      case 'wantno':
        if (!s.opposite) {
          this.set(option, side, 'no');
        } else {
          s.opposite = false;
          this.set(option, side, 'wantyes');
          this.hooks.send(yes, option);
        }
        return;
      case 'wantyes':
        s.opposite = false;
        this.set(option, side, 'no');
        return;
    }
  }

  private get(option: number, side: Side): OptionState {
    const map = side === 'local' ? this.local : this.remote;
    let s = map.get(option);
    if (!s) {
      s = { state: 'no', opposite: false };
      map.set(option, s);
    }
    return s;
  }

  /** Change state, reporting only transitions into or out of YES. */
  private set(option: number, side: Side, next: QState): void {
    const s = this.get(option, side);
    const was = s.state === 'yes';
    s.state = next;
    const now = next === 'yes';
    if (was !== now) this.hooks.changed(option, side, now);
  }
}
