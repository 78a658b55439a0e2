import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../support/paths.js';

export const MUD_BIN = join(PACKAGE_ROOT, 'dist', 'bin', 'mud.js');

export interface ServerProcess {
  child: ChildProcess;
  telnetPort: number;
  httpPort: number;
  adminPort: number;
  log(): string;
  /** kill -9: no goodbye, no flush. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** The real `mud serve` binary on free ports; resolves once its three listeners are up. `env` is added to this process's. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MUD_BIN, 'serve', '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  const ports = await new Promise<{ telnet: number; http: number; admin: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    const scan = (chunk: Buffer) => {
      log += chunk.toString();
      const telnet = /listening protocol=telnet address=[\d.]+:(\d+)/.exec(log);
      const http = /listening protocol=http address=[\d.]+:(\d+)/.exec(log);
      const admin = /listening protocol=admin address=[\d.]+:(\d+)/.exec(log);
      if (telnet && http && admin) {
        clearTimeout(timer);
        resolve({ telnet: Number(telnet[1]), http: Number(http[1]), admin: Number(admin[1]) });
      }
    };
    child.stdout!.on('data', scan);
    child.stderr!.on('data', scan);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  return { child, telnetPort: ports.telnet, httpPort: ports.http, adminPort: ports.admin, log: () => log, ...stoppers(child) };
}

/** kill -9 and a polite SIGTERM for a child process, each resolving once it has exited. */
export function stoppers(child: ChildProcess): { kill9(): Promise<void>; stop(): Promise<void> } {
  const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  return {
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
