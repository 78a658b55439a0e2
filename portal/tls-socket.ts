import type { Socket } from 'node:net';
import type { Logger } from '../support/logger.js';
import { TLSSocket, type SecureContext } from 'node:tls';

/** A client that has not finished its handshake by then is closed (a slow or idle handshake holds a socket). */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Runs the server side of a TLS handshake on an accepted socket (one the connection
 *  gate has admitted already, so a flood of handshakes costs what a flood of connections
 *  does). `onSecure` gets the encrypted socket once the handshake is done; a failed or
 *  timed-out handshake closes the socket and calls `onFail` with the reason. */
export function secureServerSocket(socket: Socket, context: SecureContext, onSecure: (secure: TLSSocket) => void, onFail: (why: string) => void): void {
  const secure = new TLSSocket(socket, { isServer: true, secureContext: context });
  const timer = setTimeout(() => fail('handshake timed out'), HANDSHAKE_TIMEOUT_MS);
  timer.unref();
  const onError = (err: Error) => fail(err.message);
  const onClose = () => fail('closed during the handshake');
  let done = false;
  function fail(why: string): void {
    if (done) return;
    done = true;
    clearTimeout(timer);
    secure.destroy();
    socket.destroy();
    onFail(why);
  }
  secure.once('error', onError);
  secure.once('close', onClose);
  secure.once('secure', () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    secure.off('error', onError);
    secure.off('close', onClose);
    onSecure(secure);
  });
}

/** Logs failed handshakes (scanners, clients that do not trust the certificate) at most once a
 *  second, with how many failed since the last line, so a flood does not flood the log. */
export function handshakeFailureLog(log: Logger, port: string): (address: string, why: string) => void {
  let lastAt = 0;
  let unlogged = 0;
  return (address, why) => {
    unlogged += 1;
    const now = Date.now();
    if (now - lastAt < 1_000) return;
    log.warn('tls handshake failed', { port, from: address, why, count: unlogged });
    lastAt = now;
    unlogged = 0;
  };
}
