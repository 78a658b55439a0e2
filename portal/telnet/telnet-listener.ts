import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { ConnectionGate } from '../connection-gate.js';
import { secureServerSocket } from '../tls-socket.js';

/** TLS on a telnet port: the certificate of each new handshake, and who hears of failed ones. */
export interface TelnetTls {
  context(): SecureContext;
  failed(address: string, why: string): void;
}

/** The telnet listener: each socket passes the connection gate first, and
 *  a refused one gets its one-line reason and is closed. With `tls`, an admitted
 *  socket does its TLS handshake before the game sees it (telnets over TLS). */
export function listenTelnet(host: string, port: number, gate: ConnectionGate, onConnection: (socket: Socket) => void, tls?: TelnetTls): Promise<TcpServer> {
  return new Promise((resolvePromise, reject) => {
    const server = createTcpServer(telnetAdmission(gate, onConnection, tls));
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}

/** What happens to each socket a telnet port accepts (a plain listener's, or a door's: portal/door.ts). */
export function telnetAdmission(gate: ConnectionGate, onConnection: (socket: Socket) => void, tls?: TelnetTls): (socket: Socket) => void {
  return (socket) => {
    const address = socket.remoteAddress ?? '?';
    const refused = gate.admit(address);
    if (refused) {
      // One line, then gone: nothing read (a flooder's bytes stay in the kernel), no timer, no half-open socket.
      socket.pause();
      socket.on('error', () => socket.destroy());
      socket.end(`${refused}\r\n`, () => socket.destroy());
      return;
    }
    socket.once('close', () => gate.release(address));
    if (tls) secureServerSocket(socket, tls.context(), onConnection, (why) => tls.failed(address, why));
    else onConnection(socket);
  };
}
