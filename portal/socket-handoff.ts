import type { Socket } from 'node:net';

/** How long a hand-over waits for a socket's queued output to reach the kernel. */
export const DRAIN_MS = 5_000;

/** Stops a socket reading so that what the peer sends next stays in the kernel
 *  for the successor process. Bytes Node had already read but nobody consumed
 *  are emitted now, to the listeners still attached (the protocol parser), so
 *  they end up in the state handed over rather than lost with this process.
 *  `pause()` alone is not enough: a paused socket still reads up to its
 *  high-water mark into memory. */
export function stopReading(socket: Socket): void {
  socket.pause();
  // read() on a paused stream emits 'data' for what it returns.
  while (socket.read() !== null);
  const inner = socket as unknown as { _handle?: { reading?: boolean; readStop?(): number } | null; _readableState?: { reading: boolean } };
  if (inner._handle?.readStop) {
    inner._handle.reading = false;
    inner._handle.readStop();
    // The stream waits on no read now: a later resume() (this process taking the socket back) starts one.
    if (inner._readableState) inner._readableState.reading = false;
  }
}

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
