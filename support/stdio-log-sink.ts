import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

type Output = NodeJS.WritableStream & { destroyed?: boolean; on(event: 'error', l: (err: Error) => void): unknown };

/** Where a server's log lines go: stderr while someone reads it. When the reader goes
 *  (`mud serve 2>&1 | head -1`: the pipe closes and the next write fails with EPIPE),
 *  the lines go on into `fallback`, and the move is said once: as the file's first
 *  line, and on stdout if that still has a reader. A closed stdout or stderr is never
 *  an error that ends the process: this sink listens for both streams' errors. */
export class StdioLogSink {
  private broken: string | undefined;
  private file: WriteStream | undefined;

  constructor(
    private readonly fallback: string,
    private readonly out: Output = process.stderr,
    private readonly other: Output = process.stdout,
  ) {
    out.on('error', (err) => this.outputClosed(err));
    // Nothing this process writes to stdout is worth dying for either.
    other.on('error', () => undefined);
  }

  readonly write = (line: string): void => {
    if (this.broken !== undefined || this.out.destroyed) return this.toFile(line);
    // A line whose write failed is not lost: it goes to the file after the notice.
    this.out.write(`${line}\n`, (err) => {
      if (!err) return;
      this.outputClosed(err);
      this.toFile(line);
    });
  };

  /** Where lines go now: `stderr`, or the fallback file's path. */
  get destination(): string {
    return this.broken === undefined ? 'stderr' : this.fallback;
  }

  private outputClosed(err: Error & { code?: string }): void {
    if (this.broken !== undefined) return;
    this.broken = err.code ?? err.message;
    const notice = `${new Date().toISOString()} warn log output closed why=${this.broken} action="logging to ${this.fallback}"`;
    this.toFile(notice);
    if (!this.other.destroyed && this.other !== this.out) this.other.write(`${notice}\n`);
  }

  private toFile(line: string): void {
    if (!this.file) {
      try {
        mkdirSync(dirname(this.fallback), { recursive: true });
      } catch {
        // createWriteStream reports the same problem below, once
      }
      this.file = createWriteStream(this.fallback, { flags: 'a' });
      // A log file that cannot be written loses its lines; the server serves on.
      this.file.on('error', () => undefined);
    }
    this.file.write(`${line}\n`);
  }
}
