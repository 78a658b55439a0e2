// One server per data dir: a second `mud serve` on a dir in use is refused
// with one line naming the owner's pid and touches nothing; the first server
// goes on, its acknowledged writes survive its kill -9, and the stale lock
// is taken over by the next start.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MUD_BIN, spawnServer, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { DataDirLock, DataDirLockedError, LOCK_FILE } from '../bin/data-dir-lock.js';

/** Every file in the dir with its contents. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir)).sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), 'utf8')] as [string, string])));
}

function runMud(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MUD_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('data dir lock', () => {
  const dirs: string[] = [];
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('data dir - a second server is refused, touches nothing, and the first one\'s writes survive its kill -9', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-lock-'));
    dirs.push(dir);
    server = await spawnServer(['--data-dir', dir, '--nodes', '0']);
    const anna = await player(server.telnetPort, 'anna');
    expect(await anna.command('east')).toMatch(/The Old Armory/);
    await anna.command('open chest');
    expect(await anna.command('take sword from chest')).toMatch(/sword/i);
    const before = await snapshot(dir);

    const second = await runMud(['serve', '--telnet-port', '0', '--http-port', '0', '--nodes', '0', '--data-dir', dir]);
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toContain(`pid ${server.child.pid}`);
    const after = await snapshot(dir);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, text] of before) expect(after.get(name)!.startsWith(text), `${name} kept`).toBe(true);

    // The first server goes on: an acknowledged drop, then a crash.
    expect(await anna.command('drop sword')).toMatch(/drop/i);
    anna.close();
    await server.kill9();
    server = await spawnServer(['--data-dir', dir, '--nodes', '0']);
    expect(server.log()).toMatch(/data dir lock taken over/);
    const back = await player(server.telnetPort, 'anna', 'secret', 'connect');
    expect(await back.command('inventory')).not.toMatch(/sword/i);
    expect(await back.command('look')).toMatch(/sword/i);
    back.close();
    await server.stop();
    server = undefined;
    expect((await readdir(dir))).not.toContain(LOCK_FILE);
  }, 90_000);

  it('data dir - gateways of a cluster (state in KV) share a dir, each under its own lock; the same gateway twice is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-lock-gw-'));
    dirs.push(dir);
    const a = await DataDirLock.acquire(dir, 'gw-a');
    const b = await DataDirLock.acquire(dir, 'gw-b');
    await expect(DataDirLock.acquire(dir, 'gw-a')).rejects.toBeInstanceOf(DataDirLockedError);
    // A whole-dir server (its own file store) is another lock: its refusal comes from NATS (a --store file gateway must be alone).
    const whole = await DataDirLock.acquire(dir);
    expect((await readdir(dir)).sort()).toEqual(['gateway-gw-a.lock', 'gateway-gw-b.lock', LOCK_FILE]);
    await Promise.all([a.release(), b.release(), whole.release()]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('data dir - of two starters racing for a stale lock exactly one wins', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-lock-'));
    dirs.push(dir);
    // A lock left by a process that is gone: pid 2^22 + 1 is above Linux's pid_max.
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: 4_194_305, host: (await import('node:os')).hostname(), started: 'then', token: 'dead' }));
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => DataDirLock.acquire(dir)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DataDirLockedError);
    await (won[0] as PromiseFulfilledResult<DataDirLock>).value.release();
    expect(await readdir(dir)).toEqual([]);
  });
});
