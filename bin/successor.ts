// `mud upgrade`, the successor's side: a `mud serve` started by its predecessor
// (SUCCESSOR_ENV set, an IPC channel open) says it has loaded, takes the sessions
// and held connections it is sent, starts its stack on them with doors that get
// their listening sockets once it serves, and says so.
import type { Server, Socket } from 'node:net';
import { Door, type Doors } from '../portal/door.js';
import { stopReading } from '../portal/socket-handoff.js';
import { startServer } from './server.js';
import type { RunningServer, ServerOptions } from './server-options.js';
import type { HandedSession, HeldConnection } from './server-handover.js';
import { SUCCESSOR_ENV, type GatewayIdentity, type PredecessorMessage } from './successor-link.js';
import { tellPredecessor } from './upgrade.js';
import { loadLiveWorld } from './live-world.js';
import { resolve } from 'node:path';

/** True in a process started by `mud upgrade` to take over from the one that started it. */
export function isSuccessor(): boolean {
  return process.env[SUCCESSOR_ENV] === '1' && typeof process.send === 'function';
}

/** Takes over from the predecessor: resolves with the server once it serves every session handed to it.
 *  A cluster gateway joins the cluster (`join`, as its predecessor's instance) only once the predecessor has let go. */
export async function takeOver(options: ServerOptions, join?: (gateway: GatewayIdentity | undefined) => Promise<void>): Promise<RunningServer> {
  const sessions: HandedSession[] = [];
  const fresh: HeldConnection[] = [];
  let doors: Doors | undefined;
  const go = new Promise<Extract<PredecessorMessage, { t: 'go' }>>((resolve) => {
    process.on('message', (m: PredecessorMessage, handle?: Socket | Server) => {
      if (m.t === 'session' || m.t === 'fresh') {
        // Node starts reading a received socket at once: stopped in this same tick, before a byte is read,
        // so that if this process dies before it serves, what the player typed is still in the kernel.
        stopReading(handle as Socket);
        (handle as Socket).on('error', () => undefined); // until a connection adopts it
      }
      if (m.t === 'session') sessions.push({ socket: handle as Socket, state: m.state });
      else if (m.t === 'fresh' && doors) doors[m.door].admit(handle as Socket);
      else if (m.t === 'fresh') fresh.push({ door: m.door, socket: handle as Socket });
      else if (m.t === 'door') doors?.[m.name].attach(handle as Server);
      else if (m.t === 'go') resolve(m);
    });
  });
  // Once the predecessor lets go of the channel, this process is on its own.
  process.once('disconnect', () => process.removeAllListeners('message'));
  // The world is loaded (and checked) before anyone is paused: a broken one fails here, harmlessly.
  const loadedWorld = await loadLiveWorld(resolve(options.world));
  await tellPredecessor({ t: 'ready' });
  const { ports, by, gateway } = await go;
  await join?.(gateway);
  doors = { telnet: new Door('telnet', ports.telnet), http: new Door('http', ports.http), admin: new Door('admin', ports.admin) };
  const notice = `Upgrade complete: this server now runs the new build (pid ${process.pid}).`;
  const server = await startServer({ ...options, loadedWorld, doors, adopted: { sessions, fresh, by, notice } });
  await tellPredecessor({ t: 'up', pid: process.pid });
  return server;
}
