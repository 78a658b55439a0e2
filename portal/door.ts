import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A listening port whose connections go where the running server says, or wait.
 *  While a gateway hands over to its successor (`mud upgrade`), new connections
 *  are held, unread, and handed on too; the listening socket itself is handed on
 *  last, so no connection attempt is refused at any point. A door can be made
 *  before its listening socket arrives (the successor's, which gets it from its
 *  predecessor once it is up): connections wait until then anyway. */
export class Door {
  private target: ((socket: Socket) => void) | undefined;
  private held: Socket[] = [];
  private server: Server | undefined;

  constructor(readonly name: DoorName, private knownPort?: number) {}

  /** A door on a new listening socket. */
  static async listen(name: DoorName, host: string, port: number): Promise<Door> {
    const server = createServer({ pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const door = new Door(name);
    door.attach(server);
    return door;
  }

  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address?.port ?? this.knownPort ?? 0;
  }

  /** The listening socket (this process's, or one handed over by a predecessor). */
  attach(server: Server): void {
    this.server = server;
    // Unread until someone takes them: a held socket's bytes stay in the kernel.
    (server as Server & { pauseOnConnect: boolean }).pauseOnConnect = true;
    server.on('connection', (socket) => this.admit(socket));
  }

  get listening(): Server | undefined {
    return this.server;
  }

  /** Connections go to `target` from now on, those held first. */
  open(target: (socket: Socket) => void): void {
    this.target = target;
    for (const socket of this.held.splice(0)) this.deliver(socket);
  }

  /** Connections wait from now on. */
  hold(): void {
    this.target = undefined;
  }

  /** A connection accepted here, or handed over from a predecessor's door. */
  admit(socket: Socket): void {
    if (this.target) return this.deliver(socket);
    socket.pause();
    socket.on('error', () => undefined);
    socket.once('close', () => (this.held = this.held.filter((s) => s !== socket)));
    this.held.push(socket);
  }

  /** The connections held, taken out of this door (to hand them on). */
  takeHeld(): Socket[] {
    const held = this.held.splice(0);
    for (const socket of held) socket.removeAllListeners('close');
    return held;
  }

  /** Stops listening here (a successor listens on the same socket, or the server stops). */
  close(): void {
    this.hold();
    this.server?.close();
  }

  private deliver(socket: Socket): void {
    // Accepted paused (pauseOnConnect): the target resumes it once its protocol listens.
    socket.removeAllListeners('close');
    this.target!(socket);
  }
}

export type DoorName = 'telnet' | 'http' | 'admin';

/** The three plain listeners of a gateway: what a successor takes over. */
export interface Doors {
  telnet: Door;
  http: Door;
  admin: Door;
}
