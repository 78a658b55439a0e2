// A WebSocket whose upgrade was done by another process (`mud upgrade`). The
// `ws` package has no public API for this, so the few internals it takes are
// named here, in one place: the socket under a WebSocket, its receiver's
// unparsed bytes, and `setSocket`, which is what WebSocketServer itself calls
// once an upgrade is complete (ws 8, lib/websocket-server.js completeUpgrade).
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';

interface ReceiverInternals {
  _state: number;
  _buffers: Buffer[];
  _fragments: Buffer[];
}

interface WebSocketInternals {
  _socket: Socket | null;
  _receiver: ReceiverInternals | null;
  _protocol: string;
  setSocket(socket: Socket, head: Buffer, options: { allowSynchronousEvents: boolean; maxPayload: number; skipUTF8Validation: boolean }): void;
}

/** The receiver's state while it waits for the first bytes of a frame (ws lib/receiver.js GET_INFO). */
const GET_INFO = 0;

const internals = (ws: WebSocket): WebSocketInternals => ws as unknown as WebSocketInternals;

/** The TCP socket under an open WebSocket. */
export function rawSocket(ws: WebSocket): Socket | undefined {
  return internals(ws)._socket ?? undefined;
}

/** True when no frame is half parsed: what is left unparsed starts a frame. */
export function atFrameBoundary(ws: WebSocket): boolean {
  const r = internals(ws)._receiver;
  return !r || (r._state === GET_INFO && r._fragments.length === 0);
}

/** Bytes read from the socket that the receiver has not parsed yet (the start of the next frame). */
export function unparsedBytes(ws: WebSocket): Buffer {
  const r = internals(ws)._receiver;
  return r ? Buffer.concat(r._buffers) : Buffer.alloc(0);
}

/** A server-side WebSocket over a socket a predecessor upgraded, as WebSocketServer makes one
 *  (autoPong off, as in portal/http-server.ts), reading `head` first. */
export function adoptWebSocket(socket: Socket, head: Buffer, subprotocol: string, maxPayload: number): WebSocket {
  const ws = new WebSocket(null as unknown as string, undefined, { autoPong: false });
  const inner = internals(ws);
  inner._protocol = subprotocol;
  inner.setSocket(socket, head, { allowSynchronousEvents: true, maxPayload, skipUTF8Validation: false });
  return ws;
}
