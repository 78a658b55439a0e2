import type { Side } from './telnet-options.js';

/** What the telnet layer tells its connection besides data (telnet-protocol.ts). */
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
