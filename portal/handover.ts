// What a connection and its session carry from a gateway to its successor
// (`mud upgrade`, bin/upgrade.ts). The socket itself travels beside this as an
// IPC handle; everything here is plain JSON, so the new code reads what the old
// code wrote even where their classes differ.
import type { Ref } from '../world/core/types.js';
import type { Vitals } from './prompt-format.js';

/** The one line players see when their gateway is replaced under them. */
export const SHIMMER = 'The world shimmers for a moment, and steadies.';

/** The telnet parser where the old process stopped reading (telnet-protocol.ts). */
export interface TelnetProtocolState {
  state: string;
  verb: number;
  afterCR: boolean;
  sbOption: number;
  /** A subnegotiation cut by the hand-over, base64. */
  sb: string;
  sbOverflow: boolean;
  echoWanted: boolean;
  width: number;
  height: number;
  types: string[];
  lastType?: string;
  ttypeAsks: number;
  ttypeAwaiting: boolean;
  mtts?: number;
  /** The RFC 1143 option table: [option, state, queue bit] per side. */
  options: { local: Array<[number, string, boolean]>; remote: Array<[number, string, boolean]> };
}

/** The line being typed when reading stopped (line-assembler.ts), base64. */
export interface PartialLine {
  bytes: string;
  discarding: boolean;
  discarded: number;
  afterCR: boolean;
}

/** GMCP as the client set it up: who it is, which packages it wants. */
export interface GmcpState {
  client?: { name: string; version: string };
  packages: string[];
}

export interface TelnetHandoff {
  protocol: 'telnet';
  remote: string;
  telnet: TelnetProtocolState;
  line: PartialLine;
  gmcp: GmcpState;
  nawsWidth?: number;
  /** MCCP2 was on: its stream was ended before the hand-over and starts again after it. */
  compressing: boolean;
  /** What telnet options settled that must outlive the process, by option name; each option's own file reads
   *  back its entry (`charset`: portal/telnet/charset.ts), so a new option adds nothing here. */
  agreements?: Record<string, string>;
}

export interface WebSocketHandoff {
  protocol: 'websocket';
  remote: string;
  /** The subprotocol agreed at the upgrade (the browser client's, or none). */
  subprotocol: string;
  gmcp: GmcpState;
  /** Bytes read from the socket but not yet parsed into a frame, base64. */
  head: string;
}

export type ConnectionHandoff = TelnetHandoff | WebSocketHandoff;

/** A session in play; absent for one still logging in (it starts its login again). */
export interface PlayerHandoff {
  player: Ref;
  wizard: boolean;
  scripted: boolean;
  /** The room the gateway had the player in (the location index is rebuilt from it). */
  room?: Ref;
  vitals?: Vitals;
  /** Lines typed and not yet run, in order. */
  queue: string[];
}

export interface SessionHandoff {
  conn: ConnectionHandoff;
  play?: PlayerHandoff;
}

export const toBase64 = (b: Buffer): string => b.toString('base64');
export const fromBase64 = (s: string): Buffer => Buffer.from(s, 'base64');

/** How `mud upgrade` went, for whoever asked (admin API, `@upgrade`). On failure the old
 *  process goes on serving, and `error` says why the successor did not take over. */
export type UpgradeOutcome =
  | {
    ok: true; pid: number; sessions: number; players: number; pausedMs: number;
    /** Called once the answer to whoever asked is out: the old process then exits (else it does a few seconds on). */
    leave?: () => void;
  }
  | { ok: false; error: string };
