import { constants, createDeflate, type Deflate } from 'node:zlib';

/** zlib settings for MCCP2. The window and hash sizes bound each session's
 *  deflate state at about (1 << (windowBits + 2)) + (1 << (memLevel + 9))
 *  bytes: 2^14 + 2^14 = 32 KiB against 256 KiB for zlib's defaults; measured
 *  with Node's stream around it, about 100 KiB of RSS per session against 226
 *  (`npm run bench -- --scenario clients`, docs/BENCHMARKS.md). A 4 KiB window
 *  still spans several screens of MUD text, where the repetition is. */
export const MCCP_ZLIB = { windowBits: 12, memLevel: 5, level: 6 } as const;

/** MCCP2's compressed half of a telnet stream (option 86,
 *  https://tintin.mudhalla.net/protocols/mccp/): everything written after
 *  compression starts goes through one deflate stream, flushed with
 *  Z_SYNC_FLUSH after each batch so a prompt is never held back waiting for
 *  more text. Output stays in order: it all leaves through `out`. */
export class Mccp2Stream {
  private readonly deflate: Deflate;
  private ended = false;

  constructor(out: (bytes: Buffer) => void, onError: (err: Error) => void) {
    // Every write is compressed and sync-flushed in one zlib call: one trip to the thread pool per batch.
    this.deflate = createDeflate({ ...MCCP_ZLIB, flush: constants.Z_SYNC_FLUSH });
    this.deflate.on('data', out);
    this.deflate.on('error', onError);
  }

  /** Bytes waiting inside zlib: part of the connection's output backlog. */
  get pending(): number {
    return this.deflate.writableLength;
  }

  write(bytes: Buffer): void {
    if (this.ended) return;
    this.deflate.write(bytes);
  }

  /** Ends the zlib stream (Z_FINISH, as MCCP2 asks before compression stops
   *  or the connection closes); `done` runs once its last bytes are out. */
  end(done: () => void): void {
    if (this.ended) return done();
    this.ended = true;
    this.deflate.once('end', done);
    this.deflate.end();
    this.deflate.resume();
  }

  destroy(): void {
    this.ended = true;
    this.deflate.destroy();
  }
}
