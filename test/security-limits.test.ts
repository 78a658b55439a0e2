// Each limit refuses with a clear line and changes nothing: connection caps,
// the attempt rate, login throttling on both login paths, timeouts, and the
// admin API's own loopback listener.
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { Logger } from '../support/logger.js';

/** What the server says first to a new socket: a refusal, or the welcome screen's question (then hung up). */
function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let text = '';
    s.on('data', (d) => {
      text += d.toString('latin1');
      if (text.includes('By what name')) s.destroy();
    });
    s.on('close', () => resolve(text));
    s.on('error', reject);
  });
}

/** Waits for a condition, up to a deadline. */
async function until(test: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !test(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

describe('connection limits', () => {
  let server: TestServer;
  const log: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({
      nodes: 0, log: new Logger((l) => log.push(l)),
      connections: { maxPerAddress: 3, maxConnections: 100, attemptsPerSecond: 1000, exemptLoopback: false },
      // Long enough for a create (a read, a hash on the hashing thread, a write) on a loaded machine.
      limits: { loginTimeoutMs: 2000 },
    });
  });
  afterAll(() => server?.cleanup());

  it('connections - the 4th from one address is refused with a line, the first three keep working', async () => {
    const open = await Promise.all([1, 2, 3].map(async () => {
      const c = await TelnetClient.open(server.telnetPort);
      await c.nextAnswer();
      return c;
    }));
    expect(await greeting(server.telnetPort)).toMatch(/Too many connections from your address \(at most 3\)/);
    expect(server.gate.connections).toBe(3);
    expect(await open[0]!.command('create pia secret')).toMatch(/Welcome, Pia/);
    for (const c of open) c.close();
    await until(() => server.gate.connections === 0, 'the server to see them close');
    expect(log.join('\n')).toMatch(/connection refused .*why="Too many connections/);
  });

  it('connections - WebSocket play counts against the same caps and is refused with a 503', async () => {
    const open = await Promise.all([1, 2, 3].map(() => TelnetClient.open(server.telnetPort)));
    await until(() => server.gate.connections === 3, 'three connections');
    const ws = new WebSocket(`ws://127.0.0.1:${server.httpPort}/play`);
    const status = await new Promise<number>((r) => ws.once('unexpected-response', (_req, res) => r(res.statusCode ?? 0)));
    expect(status).toBe(503);
    for (const c of open) c.close();
    await until(() => server.gate.connections === 0, 'the server to see them close');
  });

  it('connections - an unauthenticated socket is closed at the login timeout; a logged-in one is not', async () => {
    const lurker = await TelnetClient.open(server.telnetPort);
    const playing = await player(server.telnetPort, 'quinn');
    await lurker.waitClosed();
    expect(lurker.drain()).toMatch(/took too long to log in/);
    expect(await playing.command('look')).toMatch(/The Mystical Plaza/);
    playing.close();
  });
});

describe('idle timeout', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Long enough that a busy player's next line always lands within it on a loaded machine (at 700 ms a
    // CI rehearsal at load 19 dropped the busy one between its login and its first look).
    server = await startTestServer({ nodes: 0, limits: { idleTimeoutMs: 3000 } });
  });
  afterAll(() => server?.cleanup());

  it('connections - a logged-in player silent past the idle timeout is disconnected and leaves the world', async () => {
    const idle = await player(server.telnetPort, 'ida');
    const busy = await player(server.telnetPort, 'ben');
    let talking = true;
    const talk = (async () => {
      while (talking) await busy.command('look');
    })();
    await idle.waitClosed();
    talking = false;
    await talk;
    expect(idle.drain()).toMatch(/You have been idle for \d+ minutes\. Goodbye\./);
    await until(() => !server.registry.players().includes('player/ida'), 'ida to log out');
    await until(() => !server.locations.playersIn('room/mystical_plaza').has('player/ida'), 'ida to leave the plaza');
    expect(busy.isClosed).toBe(false);
    busy.close();
  });
});

describe('connection attempt rate', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 0, connections: { attemptsPerSecond: 2, maxPerAddress: 1000, exemptLoopback: false } });
  });
  afterAll(() => server?.cleanup());

  it('connections - attempts past the per-address rate are refused at the door', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => greeting(server.telnetPort).catch(() => '')));
    expect(answers.filter((a) => /Too many connection attempts/.test(a)).length).toBeGreaterThanOrEqual(12 - 8 - 2);
    expect(answers.filter((a) => /lattice-mud/.test(a)).length).toBeGreaterThan(0);
  });
});

describe('login throttle', () => {
  let server: TestServer;
  const log: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({ nodes: 0, log: new Logger((l) => log.push(l)) });
    (await player(server.telnetPort, 'rosa', 'rightpw')).close();
  });
  afterAll(() => server?.cleanup());

  it('login - the 4th wrong password on the one-line path is throttled without checking it', async () => {
    const c = await TelnetClient.open(server.telnetPort);
    await c.nextAnswer();
    for (let i = 0; i < 3; i++) expect(await c.command('connect rosa wrong')).toMatch(/password is wrong/);
    // Even the right password waits now: the attempt is refused before any hashing.
    expect(await c.command('connect rosa rightpw')).toMatch(/Too many failed logins for that character; wait \d+ s/);
    const other = await TelnetClient.open(server.telnetPort);
    await other.nextAnswer();
    expect(await other.command('connect rosa wrong')).toMatch(/Too many failed logins/);
    c.close();
    other.close();
    const failures = log.filter((l) => / login failed /.test(l));
    expect(failures).toHaveLength(3);
    expect(failures[2]).toMatch(/account=rosa .*failures=3/);
  });

  it('login - the interactive path is throttled the same way', async () => {
    const c = await TelnetClient.open(server.telnetPort);
    await c.nextAnswer();
    await c.command('rosa');
    expect(await c.command('rightpw')).toMatch(/Too many failed logins for that character/);
    c.close();
  });
});

describe('admin listener', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 0, host: '0.0.0.0', adminToken: 'sesame' });
  });
  afterAll(() => server?.cleanup());

  it('admin - with --host 0.0.0.0 the admin API still listens on loopback only', async () => {
    expect(server.adminHost).toBe('127.0.0.1');
    const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!outside && !process.env.CI) return console.log('admin - no non-loopback IPv4 address here: the outside check is skipped');
    expect(outside, 'a non-loopback IPv4 address to test from').toBeTruthy();
    // The game answers on the outside address; the admin port does not.
    const game = await fetch(`http://${outside}:${server.httpPort}/healthz`);
    expect(game.status).toBe(200);
    await expect(fetch(`http://${outside}:${server.adminPort}/admin/status`, { headers: { authorization: 'Bearer sesame' } })).rejects.toThrow();
  });

  it('admin - the token is taken from the header only, never from the URL', async () => {
    const base = `http://127.0.0.1:${server.adminPort}`;
    expect((await fetch(`${base}/admin/status`, { headers: { authorization: 'Bearer sesame' } })).status).toBe(200);
    expect((await fetch(`${base}/admin/status?token=sesame`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${server.httpPort}/admin/status`, { headers: { authorization: 'Bearer sesame' } })).status).toBe(404);
    const closed = (ws: WebSocket) => new Promise<number>((r) => ws.once('close', (code) => r(code)));
    expect(await closed(new WebSocket(`ws://127.0.0.1:${server.adminPort}/admin/stream?token=sesame`))).toBe(4401);
    const ok = new WebSocket(`ws://127.0.0.1:${server.adminPort}/admin/stream`, { headers: { authorization: 'Bearer sesame' } });
    const frame = await new Promise<string>((r) => ok.once('message', (d) => r(d.toString())));
    expect(JSON.parse(frame)).toHaveProperty('nodes');
    ok.close();
  });
});

describe('reserved names', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 0 });
  });
  afterAll(() => server?.cleanup());

  it('names - command words, directions and the world\'s item and room names are refused; nothing is created', async () => {
    const c = await TelnetClient.open(server.telnetPort);
    await c.nextAnswer();
    for (const name of ['look', 'north', 'sword', 'lantern', 'Plaza']) {
      expect(await c.command(`create ${name} secret`)).toMatch(/^That name is a word of the world itself/);
      expect(await server.store.get(`account/${name.toLowerCase()}`)).toBeUndefined();
    }
    expect(await c.command('sword')).toMatch(/^That name is a word of the world itself/);
    expect(await c.command('create tessa secret')).toMatch(/Welcome, Tessa/);
    c.close();
  });
});
