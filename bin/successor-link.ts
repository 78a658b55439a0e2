// The IPC channel between a gateway and the successor it starts (`mud upgrade`):
// the messages both sides send, and waiting for one of them with a deadline.
import type { ChildProcess } from 'node:child_process';
import type { Server, Socket } from 'node:net';
import type { DoorName } from '../portal/door.js';
import type { SessionHandoff } from '../portal/handover.js';

/** Successor to predecessor. */
export type SuccessorMessage =
  /** Loaded (the whole new build imported): it may have everything. */
  | { t: 'ready' }
  /** Serving: it has the data dir, the store and every session handed to it. */
  | { t: 'up'; pid: number }
  /** It will not take over, and why (it exits). */
  | { t: 'failed'; why: string };

/** Predecessor to successor; a session, a held connection or a listener travels as the message's handle. */
export type PredecessorMessage =
  | { t: 'session'; state: SessionHandoff }
  | { t: 'fresh'; door: DoorName }
  /** Everything is let go of: serve. `gateway`: a cluster gateway's id and instance, to go on as (cluster/gateway-membership.ts). */
  | { t: 'go'; ports: Record<DoorName, number>; by?: string; gateway?: GatewayIdentity }
  | { t: 'door'; name: DoorName };

/** Who a gateway of a cluster is to the others: the successor takes both, so no gateway leaves. */
export interface GatewayIdentity {
  id: string;
  instance: string;
}

/** The environment variable that makes `mud serve` a successor: it waits for its predecessor's hand-over. */
export const SUCCESSOR_ENV = 'MUD_SUCCESSOR';

/** The predecessor's end of the channel. */
export class SuccessorLink {
  private readonly inbox: SuccessorMessage[] = [];
  private wake: (() => void) | undefined;
  private ended: string | undefined;

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: SuccessorMessage) => {
      this.inbox.push(m);
      this.wake?.();
    });
    child.once('exit', (code, signal) => {
      this.ended = signal ? `it was killed by ${signal}` : `it exited with code ${code}`;
      this.wake?.();
    });
    child.once('error', (err) => {
      this.ended = `it could not be started: ${err.message}`;
      this.wake?.();
    });
  }

  /** The next message of kind `t`; throws with the successor's own reason if it fails, exits or is silent for `ms`. */
  async next<T extends SuccessorMessage['t']>(t: T, ms: number): Promise<Extract<SuccessorMessage, { t: T }>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.inbox.shift();
      if (m?.t === 'failed') throw new Error(m.why);
      if (m?.t === t) return m as Extract<SuccessorMessage, { t: T }>;
      if (m) continue;
      if (this.ended) throw new Error(this.ended);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`it said nothing for ${Math.round(ms / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Sends a message (with a socket or listener); resolves once it is written. The socket stays
   *  open here too (keepOpen), so this process can take it back if the successor fails. */
  send(message: PredecessorMessage, handle?: Socket | Server): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err: Error | null) => (err ? reject(err) : resolve());
      if (handle) this.child.send(message, handle, { keepOpen: true }, done);
      else this.child.send(message, done);
    });
  }
}
