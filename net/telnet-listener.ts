import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { ConnectionGate } from './connection-gate.js';

/** The telnet listener: each socket passes the connection gate first, and
 *  a refused one gets its one-line reason and is closed. */
export function listenTelnet(host: string, port: number, gate: ConnectionGate, onConnection: (socket: Socket) => void): Promise<TcpServer> {
  return new Promise((resolvePromise, reject) => {
    const server = createTcpServer((socket) => {
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
      onConnection(socket);
    });
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}
