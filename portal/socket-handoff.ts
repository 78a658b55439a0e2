import type { Socket } from 'node:net';

/** How long a hand-over waits for a socket's queued output to reach the kernel. */
export const DRAIN_MS = 5_000;

/** Stops a socket reading so that what the peer sends next stays in the kernel
 *  for the successor process. Bytes Node had already read but nobody consumed
 *  are emitted now, to the listeners still attached (the protocol parser), so
 *  they end up in the state handed over rather than lost with this process.
 *  `pause()` alone is not enough: a paused socket still reads up to its
 *  high-water mark into memory, and a stream restarts reads of its own accord
 *  (read(0) on the next tick); so its `_read` does nothing until `restartReading`. */
export function stopReading(socket: Socket): void {
  const inner = internals(socket);
  inner._read = () => undefined;
  if (inner._handle?.readStop) {
    inner._handle.reading = false;
    inner._handle.readStop();
  }
  socket.pause();
  // read() on a paused stream emits 'data' for what it returns.
  while (socket.read() !== null);
}

/** Undoes `stopReading`: the socket reads again once resumed (this process taking it back). */
export function restartReading(socket: Socket): void {
  const inner = internals(socket);
  if (!Object.hasOwn(inner, '_read')) return;
  delete inner._read;
  if (inner._readableState) inner._readableState.reading = false;
  // What net.Socket's own _read does when no read is pending: the stream may believe it flows already.
  if (inner._handle?.readStart && !inner._handle.reading) {
    inner._handle.reading = true;
    inner._handle.readStart();
  }
}

interface SocketInternals {
  _read?: () => void;
  _handle?: { reading?: boolean; readStop?(): number; readStart?(): number } | null;
  _readableState?: { reading: boolean };
}

const internals = (socket: Socket): SocketInternals => socket as unknown as SocketInternals;

/** Resolves once what was written to the socket has gone to the kernel (true),
 *  or false when the peer reads too slowly for that within `ms`. */
export function drained(socket: Socket, ms = DRAIN_MS): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(false);
  if (socket.writableLength === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(socket.writableLength === 0);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), ms);
    socket.on('drain', onDrain);
    socket.on('close', onClose);
  });
}

/** Takes every listener this process put on the socket off it, so it can be
 *  handed on (or re-adopted here) with no one else reacting to it. */
export function detach(socket: Socket): void {
  for (const event of ['data', 'end', 'close', 'error', 'timeout', 'drain', 'readable']) socket.removeAllListeners(event);
  socket.on('error', () => undefined); // until someone adopts it
}
