// A real `nats-server -js` for tests: a free loopback port, a temp store dir,
// started and waited for; stop/start again on the same port and dir (outages).
// When nats-server is not installed, tests skip with the reason locally and fail
// under CI=true (CI installs it with apt-get; see .ci/run).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { stopProcess } from './process-stop.js';

// NATS_SERVER names the binary to use (and only it: NATS_SERVER=/nowhere shows the skip and the CI failure).
const CANDIDATES = process.env.NATS_SERVER ? [process.env.NATS_SERVER] : ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server'];

/** The nats-server binary, or undefined when none runs here. */
export function natsServerBinary(): string | undefined {
  return CANDIDATES.find((bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** `describe` when nats-server is here; else a visible skip, or a failure under CI. */
export function describeWithNats(name: string, body: () => void): void {
  if (natsServerBinary()) {
    describe(name, body);
    return;
  }
  const reason = 'nats-server is not installed (apt-get install nats-server)';
  if (process.env.CI === 'true') {
    describe(name, () => it(`needs nats-server under CI: ${reason}`, () => {
      throw new Error(`${reason}; CI must install it (.ci/run)`);
    }));
  } else {
    process.stderr.write(`SKIPPED ${name}: ${reason}\n`);
    describe.skip(`${name} [skipped: ${reason}]`, body);
  }
}

export interface TestNatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** Stops the server (SIGTERM); its store dir stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store dir. */
  start(): Promise<void>;
  /** Freezes it (SIGSTOP, once every thread has stopped): connections stay open and nothing is answered, as behind a cut cable. */
  freeze(): Promise<void>;
  /** Wakes it again (SIGCONT). */
  thaw(): void;
  /** Stops it and removes the store dir. */
  cleanup(): Promise<void>;
}

export async function startNatsServer(): Promise<TestNatsServer> {
  const bin = natsServerBinary();
  if (!bin) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'mud-nats-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
    await waitUntil(async () => /Server is ready/.test(log) && (await canConnect(port)), 15_000, () => `nats-server on port ${port} did not start:\n${log}`);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`, port, storeDir, stop, start,
    freeze: async () => {
      if (!child) throw new Error(`nats-server on port ${port} is not running`);
      await stopProcess(child);
    },
    thaw: () => child?.kill('SIGCONT'),
    cleanup: async () => {
      child?.kill('SIGCONT');
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

/** A port free right now on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `test` until it holds, or fails with `what()` after `timeoutMs`. */
export async function waitUntil(test: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
