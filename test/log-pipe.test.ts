// `mud serve 2>&1 | head -1`: the reader of the server's log goes away during start-up.
// The server must keep serving, and say once where its logs went instead.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MUD_BIN, stoppers } from './helpers/server-process.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

const readLog = (path: string) => readFile(path, 'utf8').catch(() => '');

async function logMatching(path: string, pattern: RegExp, exitCode: () => number | null, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(await readLog(path));
    if (m) return m;
    if (exitCode() !== null) throw new Error(`the server exited with ${exitCode()}:\n${await readLog(path)}`);
    if (Date.now() > deadline) throw new Error(`${path} never showed ${pattern}:\n${await readLog(path)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('log pipe', () => {
  const dirs: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('log pipe - a server whose stdout and stderr close during start-up keeps serving, and says once where logs go', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-logpipe-'));
    dirs.push(dir);
    const child = spawn(process.execPath, [MUD_BIN, 'serve', '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', '--data-dir', dir, '--nodes', '2', '--dispatch', 'actor'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const { stop } = stoppers(child);
    stops.push(stop);
    // As `| head -1` does: read the first line, then close the pipes.
    const first = await new Promise<string>((resolve, reject) => {
      child.stderr.once('data', (d: Buffer) => resolve(d.toString()));
      child.once('exit', (code) => reject(new Error(`server exited with ${code} before logging`)));
    });
    expect(first).toMatch(/info /);
    child.stdout.destroy();
    child.stderr.destroy();

    const logPath = join(dir, 'server.log');
    const port = Number((await logMatching(logPath, /listening protocol=telnet address=[\d.]+:(\d+)/, () => child.exitCode))[1]);
    for (const name of ['alice', 'bob']) {
      const c = await TelnetClient.open(port);
      await c.nextAnswer();
      expect(await c.command(`create ${name} secret`)).toContain('Welcome');
      expect(await c.command('look')).toContain('The Mystical Plaza');
      c.send('quit');
      await c.waitClosed();
    }
    expect(child.exitCode).toBeNull();
    await stop();
    expect(child.exitCode).toBe(0);
    const log = await readLog(logPath);
    expect(log.match(/log output closed/g)).toHaveLength(1);
    expect(log).toMatch(/log output closed why=EPIPE action="logging to .*server\.log"/);
    expect(log).toContain('stopped reason=SIGTERM');
  }, 60_000);
});
