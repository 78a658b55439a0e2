// `mud upgrade` under a crowd: players keep acting in one room while the gateway hands
// over, and every line one of them was answered for reaches the others exactly once.
// (The hand-over once let sessions go one by one while other players' commands were
// still sending them lines, and those lines were lost.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { copiedBuild, requestUpgrade, stopPid } from './helpers/upgrade-builds.js';
import { waitUntil } from './helpers/nats-server.js';
import { PACKAGE_ROOT } from '../support/paths.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';

const ACTORS = 10;
/** Emotes each actor makes after the old process has exited, so the successor's side is tried too. */
const AFTER = 3;
/** The actors emote as fast as they are answered: the per-player rate limit would refuse some. */
const UNLIMITED = ['--commands-per-second', '1000', '--command-burst', '1000'];

async function login(port: number, name: string): Promise<RawTelnet> {
  const c = await RawTelnet.open(port, { width: 200 });
  await c.waitText('By what name');
  await c.command(`create ${name} secret`, /Welcome[^\u0007]*\u0007/);
  return c;
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('mud upgrade under a crowd', () => {
  const dirs: string[] = [];
  const pids: number[] = [];
  const servers: ServerProcess[] = [];
  let build: ReturnType<typeof copiedBuild>;

  beforeAll(() => {
    build = copiedBuild('upgrade-lines', {});
  });

  afterAll(async () => {
    for (const pid of pids) await stopPid(pid);
    for (const s of servers) await s.stop();
    servers.forEach((s, i) => writeFileSync(join(PACKAGE_ROOT, 'test', 'artifacts', `upgrade-lines-server-${i}.log`), s.log()));
    build.remove();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const mode of ['in-process', 'actor']) {
    it(`${mode}: every emote answered during the hand-over is heard once by a listener in the room`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mud-upgrade-lines-'));
      dirs.push(dir);
      const server = await spawnServer(['--data-dir', dir, '--nodes', '1', '--dispatch', mode, ...UNLIMITED], { MUD_UPGRADE_ENTRY: build.entry });
      servers.push(server);
      const tag = mode.slice(0, 2);
      const listener = await login(server.telnetPort, `ear${tag}`);
      const actors = await Promise.all(Array.from({ length: ACTORS }, (_, i) => login(server.telnetPort, `em${tag}${String.fromCharCode(97 + i)}`)));
      const answered: string[] = [];
      let exited = false;
      // Each actor emotes a token, waits for its own echo, and goes on, until it has made AFTER
      // emotes since the old process exited: lines typed during the hand-over are answered by one
      // process or the other.
      const acting = actors.map(async (a, i) => {
        let since = 0;
        for (let n = 0; since < AFTER; n++) {
          const token = `tk${tag}${i}x${n}z`;
          await a.command(`emote ${token}`, token);
          answered.push(token);
          if (exited) since++;
        }
      });
      await waitUntil(() => answered.length >= ACTORS * 2, 30_000, () => 'the crowd to be acting');
      const outcome = await requestUpgrade(server.adminPort, dir);
      expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
      expect(outcome.body).toMatchObject({ ok: true, sessions: ACTORS + 1, players: ACTORS + 1 });
      pids.push(outcome.body.pid!);
      if (server.child.exitCode === null) await once(server.child, 'exit', { signal: AbortSignal.timeout(20_000) });
      expect(server.child.exitCode).toBe(0);
      exited = true;
      await Promise.all(acting);
      // Not thrown on the deadline: the assertion below names what is missing.
      await listener.until(() => answered.every((t) => listener.text.includes(t)), 'every answered emote', 30_000).catch(() => undefined);
      const missing = answered.filter((t) => count(listener.text, t) !== 1);
      expect(missing.map((t) => `${t} heard ${count(listener.text, t)}x`), `of ${answered.length} answered emotes`).toEqual([]);
      for (const c of [listener, ...actors]) {
        expect(c.closed).toBe(false);
        c.close();
      }
    }, 180_000);
  }
});
