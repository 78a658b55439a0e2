import type { Socket } from 'node:net';
import { Mccp2Stream } from './mccp.js';
import { OUTPUT_HARD_LIMIT } from '../connection.js';

// Where a telnet connection's batched bytes go: straight to the socket, or
// through MCCP2's zlib stream once the client agreed to it. While a stream the
// client turned off (DONT MCCP2) finishes, what is written meanwhile is held,
// so plain bytes never overtake compressed ones.

export class TelnetOutput {
  private mccp: Mccp2Stream | undefined;
  /** Output held while a stopped zlib stream finishes. */
  private held: Buffer[] | undefined;

  constructor(private readonly socket: Socket, private readonly failed: (message: string) => void) {}

  get compressing(): boolean {
    return this.mccp !== undefined;
  }

  /** Bytes written and not on the wire yet: the socket's, and those still inside zlib. */
  get backlog(): number {
    return this.socket.writableLength + (this.mccp?.pending ?? 0);
  }

  /** One batch of a connection's output (the first `count` chunks), in one socket write. */
  send(chunks: readonly Buffer[], count: number): void {
    const chunk = count === 1 ? chunks[0] : joined(chunks, count);
    if (this.backlog + chunk.length > OUTPUT_HARD_LIMIT) {
      // A peer that reads nothing while the world talks to it: let it go rather than hoard memory.
      this.socket.destroy();
      return;
    }
    this.write(chunk);
  }

  private write(chunk: Buffer): void {
    if (this.mccp) this.mccp.write(chunk);
    else if (this.held) this.held.push(chunk);
    else this.socket.write(chunk);
  }

  /** Compresses from now on: IAC SB MCCP2 IAC SE, the last plain bytes, has been written. */
  compress(): void {
    this.mccp = new Mccp2Stream((bytes) => this.socket.write(bytes), (err) => {
      this.failed(`MCCP2: ${err.message}`);
      this.socket.destroy();
    });
  }

  /** The client said DONT MCCP2: the zlib stream finishes, then output carries on plain. */
  plain(): void {
    const stream = this.mccp;
    if (!stream) return;
    this.mccp = undefined;
    this.held = [];
    stream.end(() => {
      const held = this.held ?? [];
      this.held = undefined;
      for (const chunk of held) if (!this.socket.destroyed) this.socket.write(chunk);
    });
  }

  /** Before the socket is handed to a successor (`mud upgrade`): the stream ends (Z_FINISH, as MCCP2 asks) and
   *  one finishing is waited for, so the successor's bytes start plain. Whether it was compressing. */
  async finish(): Promise<boolean> {
    const stream = this.mccp;
    this.mccp = undefined;
    if (stream) await new Promise<void>((r) => stream.end(r));
    while (this.held && !this.socket.destroyed) await new Promise((r) => setTimeout(r, 5));
    return stream !== undefined;
  }

  /** The connection closes: `then` runs once the stream's last bytes are out. */
  end(then: () => void): void {
    if (this.mccp) this.mccp.end(then);
    else then();
  }

  destroy(): void {
    this.mccp?.destroy();
  }
}

/** The first `count` chunks as one buffer (Buffer.concat, on the part of the array that is in use). */
function joined(chunks: readonly Buffer[], count: number): Buffer {
  let size = 0;
  for (let i = 0; i < count; i++) size += chunks[i].length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < count; i++) at += chunks[i].copy(out, at);
  return out;
}
