// The server's side of `mud upgrade`: what a gateway lets go of (its sessions,
// their sockets, the connections its doors held) and how a server takes them
// up again, be it the successor process or, when the successor failed, the same
// process starting its stack anew. bin/upgrade.ts moves them between processes.
import type { Socket } from 'node:net';
import type { Ref } from '../world/core/types.js';
import { Door, type DoorName, type Doors } from '../portal/door.js';
import type { SessionHandoff } from '../portal/handover.js';
import type { Session } from '../portal/session.js';
import type { Logger } from '../support/logger.js';

/** A session let go of, with its socket. */
export interface HandedSession {
  socket: Socket;
  state: SessionHandoff;
}

/** A connection a door held, not yet read from: it starts as a new one. */
export interface HeldConnection {
  door: DoorName;
  socket: Socket;
}

/** What a server takes up at start instead of an empty house. */
export interface Adoption {
  sessions: HandedSession[];
  fresh: HeldConnection[];
  /** Who asked for the upgrade (a wizard's player ref), told `notice` once back in play. */
  by?: string;
  notice?: string;
}

/** The players an adoption brings, in play: the start-up sweep leaves them where they stand. */
export function adoptedPlayers(adoption: Adoption | undefined): Set<Ref> {
  return new Set((adoption?.sessions ?? []).flatMap((s) => (s.state.play ? [s.state.play.player] : [])));
}

/** The gateway's plain listeners, given (a successor's, a restarted stack's) or opened now. */
export async function openDoors(given: Doors | undefined, host: string, ports: { telnet: number; http: number; admin: number; adminHost: string }): Promise<Doors> {
  if (given) return given;
  const telnet = await Door.listen('telnet', host, ports.telnet);
  const http = await Door.listen('http', host, ports.http).catch((err: Error) => {
    telnet.close();
    throw err;
  });
  const admin = await Door.listen('admin', ports.adminHost, ports.admin).catch((err: Error) => {
    telnet.close();
    http.close();
    throw err;
  });
  return { telnet, http, admin };
}

/** Every session stops reading and finishes its running command; none is let go of yet. */
export async function holdSessionsStill(sessions: Iterable<Session>): Promise<void> {
  await Promise.all([...sessions].map((s) => s.holdStill()));
}

/** Every session let go of at once (each waits for its running command). Those that could
 *  not be handed on (closed meanwhile, or a peer too slow to take its output) are counted. */
export async function handOffSessions(sessions: Iterable<Session>, log: Logger): Promise<HandedSession[]> {
  const all = [...sessions];
  const handed = (await Promise.all(all.map((s) => s.handOff().catch((err: Error) => {
    log.warn('hand-over failed for a session', { player: s.player, why: err.message });
    return undefined;
  })))).filter((h): h is HandedSession => h !== undefined);
  if (handed.length < all.length) log.warn('sessions not handed over', { count: all.length - handed.length, why: 'closed, or output not drained in time' });
  return handed;
}

/** The connections the doors hold now, taken out of them. */
export function heldConnections(doors: Doors): HeldConnection[] {
  return (Object.values(doors) as Door[]).flatMap((door) => door.takeHeld().map((socket) => ({ door: door.name, socket })));
}
