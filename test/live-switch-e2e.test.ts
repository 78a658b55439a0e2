// 50 players over real telnet sockets keep playing while `mud dispatch` (the
// real CLI, through the admin API) walks the server through in-process ->
// actor -> function -> in-process: every command is answered.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import { PACKAGE_ROOT } from '../support/paths.js';

const run = promisify(execFile);
const MUD = join(PACKAGE_ROOT, 'dist', 'bin', 'mud.js');
const LOOP = ['look', 'east', 'open chest', 'take sword from chest', 'put sword in chest', 'west', 'say hi', ':grins'];

describe('live switch over telnet', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 2, limits: { commandsPerSecond: 1000, commandBurst: 1000 } });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('switch - 50 players play through in-process -> actor -> function -> in-process, all answered', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `player${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    const clients = await Promise.all(names.map((n) => player(server.telnetPort, n)));
    let playing = true;
    let answered = 0;
    const loops = clients.map(async (c) => {
      for (let i = 0; playing || i % LOOP.length !== 0; i++) {
        const answer = await c.command(LOOP[i % LOOP.length]);
        expect(answer).not.toMatch(/try that again|action is lost/);
        answered += 1;
      }
    });
    const cli = (mode: string) => run(process.execPath, [MUD, 'dispatch', mode, '--url', `http://127.0.0.1:${server.adminPort}`, '--data-dir', server.dataDir]);
    const outputs: string[] = [];
    for (const mode of ['actor', 'function', 'in-process']) {
      await new Promise((r) => setTimeout(r, 300));
      outputs.push((await cli(mode)).stdout);
    }
    playing = false;
    await Promise.all(loops);
    expect(outputs.join('')).toMatch(/^dispatch: actor \(players paused [\d.]+ ms( \([\d.]+ ms on \d+ turns? in flight\))?, \d+ turns held\)\ndispatch: function .*\ndispatch: in-process .*\n$/);
    expect(answered).toBeGreaterThan(50 * LOOP.length);
    await Promise.all(clients.map((c) => c.command('quit').catch(() => undefined)));
    await server.engine.quiesce();
    expect(await conservationErrors(server.store, server.engine.currentWorld.definition)).toEqual([]);
  }, 120_000);

  it('admin - wrong or missing tokens and bad specs are refused with a clear error, changing nothing', async () => {
    const base = ['--url', `http://127.0.0.1:${server.adminPort}`];
    const bad = await run(process.execPath, [MUD, 'dispatch', 'actor', ...base, '--admin-token', 'nope']).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('mud dispatch: missing or wrong admin token (see <data-dir>/admin.token, --admin-token or MUD_ADMIN_TOKEN)\n');
    const spec = await run(process.execPath, [MUD, 'dispatch', 'actr', ...base, '--data-dir', server.dataDir]).catch((e) => e);
    expect(spec.stderr).toBe('mud dispatch: unknown dispatch mode "actr"; expected one of in-process, actor, function\n');
    const none = await run(process.execPath, [MUD, 'status', ...base, '--data-dir', '/nonexistent']).catch((e) => e);
    expect(none.stderr).toMatch(/^mud status: no admin token/);
    const status = JSON.parse((await run(process.execPath, [MUD, 'status', '--json', ...base, '--data-dir', server.dataDir])).stdout);
    expect(status.mode).toBe('in-process');
    expect(status.nodes.map((n: { id: string }) => n.id)).toEqual(['gateway', 'node-1', 'node-2']);
  });

  it('status - asked the moment a switch has answered, the admin API shows the new table and epoch', async () => {
    const token = (await readFile(join(server.dataDir, 'admin.token'), 'utf8')).trim();
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${server.adminPort}${path}`, {
        method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json() as Promise<{ epoch: number; mode?: string; modes?: unknown }>;
    };
    // The figures are sampled every 250 ms; what a switch changes must not wait for the next sample.
    for (const spec of ['actor', 'room=function,default=actor', 'in-process']) {
      const switched = await admin('POST', '/admin/dispatch', { spec });
      const status = await admin('GET', '/admin/status');
      expect(status.epoch, spec).toBe(switched.epoch);
      expect(status.mode, spec).toBe(switched.modes); // the switch answers the table as text, as status's `mode`
    }
  });
});
