import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../support/logger.js';

export interface LocalNodesOptions {
  natsUrl: string;
  /** Added to the children's environment: the gateway's NATS credentials and TLS files, kept out of their arguments (`ps` shows those). */
  env?: Record<string, string>;
  log: Logger;
  /** A child exited: `expected` when we stopped it on purpose. */
  onExit(id: string, how: string, expected: boolean): void;
}

interface Child {
  process: ChildProcess;
  stopping: boolean;
}

const STOP_GRACE_MS = 12_000;

/** `mud node` processes started by the gateway on its own machine (`mud serve
 *  --nats URL --nodes N`): they join over NATS like any other node. Each child
 *  watches its stdin, a pipe from us, so it leaves when the gateway dies,
 *  however it dies. */
export class LocalNodes {
  private readonly children = new Map<string, Child>();

  constructor(private readonly opts: LocalNodesOptions) {}

  has(id: string): boolean {
    return this.children.has(id);
  }

  spawn(id: string): void {
    const args = [mudScript(), 'node', '--nats', this.opts.natsUrl, '--id', id, '--exit-with-parent'];
    const child: Child = { process: spawn(process.execPath, args, { stdio: ['pipe', 'inherit', 'inherit'], env: { ...process.env, ...this.opts.env } }), stopping: false };
    this.children.set(id, child);
    child.process.on('exit', (code, signal) => {
      this.children.delete(id);
      this.opts.onExit(id, signal ? `killed by ${signal}` : `exit code ${code}`, child.stopping);
    });
    child.process.on('error', (err) => this.opts.log.error('node process error', { node: id, why: err.message }));
    this.opts.log.info('node process started', { node: id, pid: child.process.pid });
  }

  /** Fault injection: no goodbye, no draining. */
  kill(id: string): void {
    this.children.get(id)?.process.kill('SIGKILL');
  }

  /** Marks a child as leaving on purpose, so its exit is not a crash. */
  expectExit(id: string): void {
    const c = this.children.get(id);
    if (c) c.stopping = true;
  }

  /** SIGTERM to every child (each drains and says goodbye), SIGKILL to those still there after a grace. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.children.values()].filter((c) => c.process.exitCode === null && c.process.signalCode === null).map((c) => {
      c.stopping = true;
      const exited = new Promise<void>((resolve) => c.process.once('exit', () => resolve()));
      c.process.kill('SIGTERM');
      const timer = setTimeout(() => c.process.kill('SIGKILL'), STOP_GRACE_MS);
      return exited.finally(() => clearTimeout(timer));
    }));
  }
}

/** The compiled CLI: next to this file's folder in dist/, else under dist/ (tests run sources). */
function mudScript(): string {
  const here = fileURLToPath(new URL('../../bin/mud.js', import.meta.url));
  if (existsSync(here)) return here;
  return join(fileURLToPath(new URL('../../', import.meta.url)), 'dist', 'bin', 'mud.js');
}
