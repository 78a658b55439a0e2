import type { Socket } from 'node:net';
import type { ConnectionHandoff } from './handover.js';
import type { SharedText } from './shared-text.js';
import type { OutOfBand } from './out-of-band.js';
import type { Rendering } from './client-profile.js';
import type { PlayerSettings } from './player/player-settings.js';

/** A player's connection, whatever carries it (telnet, WebSocket). Sessions and
 *  the login flow talk only to this, so a protocol is one file beside it. */
export interface Connection {
  readonly protocol: 'telnet' | 'websocket';
  /** `host:port` of the peer, for logs. */
  readonly remote: string;
  /** Text to the player; "\n" separates lines. Buffered and flushed once per tick. */
  write(text: string): void;
  /** The same line going to many connections, encoded once. */
  writeShared(text: SharedText): void;
  /** A prompt: text with no line end, marked so clients know it is one (GA/EOR). */
  prompt(text: string): void;
  /** Out-of-band data (GMCP over telnet, a frame over the browser's WebSocket);
   *  dropped by clients that did not ask for it. */
  emit(oob: OutOfBand): void;
  /** True while the client takes out-of-band data (GMCP agreed, the browser client):
   *  commands of a player whose client does not are sent `plain` (world/core/types.ts Msg). */
  readonly takesData: boolean;
  /** How text is rendered now (colour, width, screen reader). */
  readonly rendering: Rendering;
  /** The client as it introduced itself, for `config`. */
  readonly clientSummary: string;
  /** The player's display settings, applied from the next line on. */
  configure(settings: PlayerSettings): void;
  /** Hides what the player types (passwords) where the protocol can. */
  setEcho(visible: boolean): void;
  /** Resolves once the client has said what it can (its window size first), or after a short wait:
   *  the banner is wrapped at the client's width. Absent where nothing is negotiated. */
  settled?(): Promise<void>;
  /** From now on output the player did not ask for waits for the output pulse (portal/output-pulse.ts). */
  paceOutput(): void;
  /** Holds output back until `release` (a command's lines and its prompt leave in one write). */
  hold(): void;
  /** Ends a hold: what waited goes with the iteration's flush. */
  release(): void;
  /** Sends what is buffered, then closes. */
  close(): void;
  /** Stops reading the peer's input (backpressure) until `resume`. */
  pause(): void;
  resume(): void;
  /** Stops reading for good in this process: the socket is about to be handed to a successor. */
  holdInput(): void;
  /** After `holdInput` and the last command's output: sends what is queued, ends MCCP, lets go of
   *  the socket and says what the successor needs to carry on. Undefined if it could not (closed,
   *  or the peer reads too slowly for its output to drain). */
  handOff(): Promise<HandedConnection | undefined>;
  /** True while output waits on a slow peer beyond the high-water mark. */
  readonly congested: boolean;
  onLine(handler: (line: string) => void): void;
  /** Input that was refused before it became a line (too long, bad UTF-8, protocol garbage). */
  onProblem(handler: (problem: InputProblem) => void): void;
  onClose(handler: () => void): void;
}

/** A connection let go of, for its successor. */
export interface HandedConnection {
  socket: Socket;
  state: ConnectionHandoff;
}

/** `flood`: over the input budget for too long (portal/input-budget.ts), dropped at once. */
export type InputProblem = 'too-long' | 'invalid-utf8' | 'garbage' | 'flood';

/** Output beyond this waits in memory; beyond the hard limit the peer is dropped. */
export const OUTPUT_HIGH_WATER = 256 * 1024;
export const OUTPUT_HARD_LIMIT = 8 * 1024 * 1024;

/** The peer's address without its port (`remote` is `host:port`): what per-address limits count by. */
export function addressOf(remote: string): string {
  return remote.replace(/:\d+$/, '');
}
