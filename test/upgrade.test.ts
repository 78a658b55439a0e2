// `mud upgrade` with real processes: a `mud serve` hands its telnet and WebSocket
// sessions to a successor started from another build, and players keep playing
// on the same sockets; a successor that cannot start leaves the old one serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { copiedBuild, requestUpgrade, stopPid } from './helpers/upgrade-builds.js';
import { PACKAGE_ROOT } from '../support/paths.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';
import { MCCP2 } from '../portal/telnet/telnet-options.js';
import { SHIMMER } from '../portal/handover.js';
import { PLAY_PROTOCOL } from '../portal/websocket-connection.js';

const NEW_SAVE = 'The new build answers: there is no need to save.';
const ANSI = /\u001b\[[0-9;]*m/;

async function until(test: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function login(port: number, name: string, mccp: boolean, charset?: 'reject'): Promise<RawTelnet> {
  const c = await RawTelnet.open(port, { mccp, width: 100, charset });
  await c.waitText('By what name');
  await c.command(`create ${name} secret`, /Welcome[^\u0007]*\u0007/);
  return c;
}

/** A browser-client WebSocket: frames collected as text. */
async function webPlayer(port: number): Promise<{ ws: WebSocket; text: () => string; closed: () => boolean }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/play`, PLAY_PROTOCOL);
  let text = '';
  let closed = false;
  ws.on('message', (data) => (text += data.toString()));
  ws.on('close', () => (closed = true));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  await until(() => text.includes('By what name'), 'the web banner', 20_000);
  ws.send('guest');
  await until(() => text.includes('Welcome'), 'the web login', 20_000);
  return { ws, text: () => text, closed: () => closed };
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('mud upgrade', () => {
  const dirs: string[] = [];
  const builds: Array<{ remove(): void }> = [];
  const pids: number[] = [];
  const servers: ServerProcess[] = [];
  const dataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'mud-upgrade-'));
    dirs.push(dir);
    return dir;
  };
  let newBuild: ReturnType<typeof copiedBuild>;

  beforeAll(() => {
    // The next release: `save` answers differently.
    newBuild = copiedBuild('upgrade-new', { 'portal/session-commands.js': ['There is no need: the world keeps your character and what you carry as you play, after every change.', NEW_SAVE] });
    builds.push(newBuild);
  });

  afterAll(async () => {
    for (const pid of pids) await stopPid(pid);
    for (const s of servers) await s.stop();
    // Both processes' logs, for a failure's post-mortem (test/artifacts/ is not committed).
    servers.forEach((s, i) => writeFileSync(join(PACKAGE_ROOT, 'test', 'artifacts', `upgrade-server-${i}.log`), s.log()));
    for (const b of builds) b.remove();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('telnet, MCCP2 and WebSocket sessions keep their sockets, rooms, things and colour; a line typed meanwhile is answered; the new build answers', async () => {
    const dir = dataDir();
    const server = await spawnServer(['--data-dir', dir, '--nodes', '1'], { MUD_UPGRADE_ENTRY: newBuild.entry });
    servers.push(server);
    // Ada's client refused UTF-8 (CHARSET): she reads ASCII, before the upgrade and after it.
    const ada = await login(server.telnetPort, 'ada', false, 'reject');
    expect(await ada.command('say café', 'You say')).toContain('cafe');
    await ada.command('config color on', 'Saved.');
    await ada.command('east', 'The Old Armory');
    await ada.command('open chest', '\u0007');
    await ada.command('get all from chest', 'You take');
    const zip = await login(server.telnetPort, 'zed', true);
    await zip.command('look', 'Exits:');
    expect(zip.compressed).toBe(true);
    const web = await webPlayer(server.httpPort);
    const adaBefore = ada.text.length;
    const zipBefore = zip.text.length;

    const outcome = requestUpgrade(server.adminPort, dir);
    // A line typed while the gateway hands over: answered once, by one process or the other.
    await until(() => /handing over/.test(server.log()), 'the hand-over to begin');
    ada.send('inventory');
    const { status, body } = await outcome;
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ ok: true, sessions: 3, players: 3 });
    pids.push(body.pid!);
    expect(body.pid).not.toBe(server.child.pid);
    await until(() => server.child.exitCode !== null, 'the old process to exit', 10_000);
    expect(server.child.exitCode).toBe(0);

    await ada.until(() => count(ada.text.slice(adaBefore), 'You are carrying') === 1, 'the inventory typed during the hand-over');
    // Same socket, new build, same room and things, colour still on.
    expect(await ada.command('save', NEW_SAVE)).toContain(NEW_SAVE);
    const look = await ada.command('look', 'Exits:');
    expect(look).toContain('The Old Armory');
    expect(look).toMatch(ANSI);
    expect(await ada.command('say café', 'You say')).toContain('cafe');
    expect(await ada.command('inventory', 'You are carrying')).toContain('rune-etched sword');
    const adaSince = ada.text.slice(adaBefore);
    expect(count(adaSince, SHIMMER)).toBe(1);
    expect(ada.closed).toBe(false);

    // MCCP2: the old stream was finished, a new one started on the same socket.
    expect(await zip.command('save', NEW_SAVE)).toContain(NEW_SAVE);
    expect(zip.mccpEnded).toBe(true);
    expect(zip.compressed).toBe(true);
    expect(zip.agreed.has(MCCP2)).toBe(true);
    expect(count(zip.text.slice(zipBefore), SHIMMER)).toBe(1);

    // The browser client's WebSocket: the same connection, answered by the new build.
    const webBefore = web.text().length;
    web.ws.send('save');
    await until(() => web.text().slice(webBefore).includes(NEW_SAVE), 'the web answer after the upgrade', 20_000);
    expect(count(web.text(), SHIMMER)).toBe(1);
    expect(web.closed()).toBe(false);

    // A new connection reaches the successor on the same port.
    const late = await login(server.telnetPort, 'late', false);
    expect(await late.command('save', NEW_SAVE)).toContain(NEW_SAVE);
    for (const c of [ada, zip, late]) c.close();
    web.ws.close();
  }, 180_000);

  for (const mode of ['actor', 'function']) {
    it(`${mode}: a player keeps the socket, the room and what is carried; a line typed during the hand-over is answered once; the nodes start again behind the successor`, async () => {
      const dir = dataDir();
      const server = await spawnServer(['--data-dir', dir, '--nodes', '1', '--dispatch', mode], { MUD_UPGRADE_ENTRY: newBuild.entry });
      servers.push(server);
      const kim = await login(server.telnetPort, `kim${mode.slice(0, 3)}`, true);
      await kim.command('east', 'The Old Armory');
      await kim.command('open chest', '\u0007');
      await kim.command('get all from chest', 'You take');
      const before = kim.text.length;
      const outcome = requestUpgrade(server.adminPort, dir);
      await until(() => /handing over/.test(server.log()), 'the hand-over to begin');
      kim.send('inventory');
      const { status, body } = await outcome;
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ ok: true, sessions: 1, players: 1 });
      pids.push(body.pid!);
      await until(() => server.child.exitCode !== null, 'the old process to exit', 10_000);
      await kim.until(() => count(kim.text.slice(before), 'You are carrying') === 1, 'the inventory typed during the hand-over');
      expect(await kim.command('save', NEW_SAVE)).toContain(NEW_SAVE);
      // The room's turn and the chest's run on the successor's node: the chest still holds what is left, once.
      expect(await kim.command('look in chest', '\u0007')).not.toContain('rune-etched sword');
      expect(await kim.command('drop all', '\u0007')).toContain('You drop');
      expect(await kim.command('get all', 'You take')).toContain('rune-etched sword');
      expect(count(kim.text.slice(before), SHIMMER)).toBe(1);
      expect(kim.mccpEnded).toBe(true);
      expect(kim.closed).toBe(false);
      kim.close();
    }, 180_000);
  }

  it('a successor that does not load, or dies while taking over, leaves the old server serving the same sockets, and says why', async () => {
    const marker = join(dataDir(), 'broken');
    writeFileSync(marker, 'yes');
    const broken = copiedBuild('upgrade-broken', {
      'bin/mud.js': ["import { Command } from 'commander';", `import { Command } from 'commander';\nimport { existsSync } from 'node:fs';\nif (existsSync(${JSON.stringify(marker)})) throw new Error('deliberately broken build');`],
      'bin/successor.js': ['const { ports, by, gateway } = await go;', "const { ports, by, gateway } = await go;\n    throw new Error('deliberately crashed while taking over');"],
    });
    builds.push(broken);
    const dir = dataDir();
    const server = await spawnServer(['--data-dir', dir, '--nodes', '1'], { MUD_UPGRADE_ENTRY: broken.entry });
    servers.push(server);
    const bob = await login(server.telnetPort, 'bob', false);
    await bob.command('east', 'The Old Armory');

    const notLoaded = await requestUpgrade(server.adminPort, dir);
    expect(notLoaded.status).toBe(409);
    expect(notLoaded.body.error).toMatch(/did not start.*deliberately broken build.*nothing was handed over/);
    expect(server.log()).toMatch(/upgrade failed .*deliberately broken build/);
    expect(await bob.command('look', 'Exits:')).toContain('The Old Armory');
    expect(count(bob.text, SHIMMER)).toBe(0); // nobody was paused

    rmSync(marker);
    const bobBefore = bob.text.length;
    const dying = requestUpgrade(server.adminPort, dir);
    // Typed while the successor that will die holds the socket too: it must not have read it.
    await until(() => /handing over/.test(server.log()), 'the hand-over to begin');
    bob.send('inventory');
    const died = await dying;
    expect(died.status).toBe(409);
    expect(died.body.error).toMatch(/did not take over.*deliberately crashed while taking over.*took every session back/);
    expect(server.child.exitCode).toBe(null);
    await bob.until(() => count(bob.text.slice(bobBefore), 'You are carrying') === 1, 'the inventory typed during the failed hand-over');
    // The same socket, the same room, answered by the old process's restarted stack.
    expect(await bob.command('look', 'Exits:')).toContain('The Old Armory');
    expect(await bob.command('save', 'There is no need')).toContain('There is no need');
    const late = await login(server.telnetPort, 'later', false);
    expect(await late.command('look', 'Exits:')).toContain('Mystical Plaza');
    bob.close();
    late.close();
  }, 180_000);
});
