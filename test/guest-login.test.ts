// Guests over real telnet: `guest` logs in with no account and no password
// hash, never as a wizard, one connection per guest name, at most --guests of
// them; names beginning with "guest" are not for accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { runSwarm } from '../bots/bot-swarm.js';

async function welcomed(port: number): Promise<TelnetClient> {
  const c = await TelnetClient.open(port);
  await c.nextAnswer(); // the welcome screen
  return c;
}

describe('guest login', () => {
  let server: TestServer;
  const clients: TelnetClient[] = [];
  const open = async () => {
    const c = await welcomed(server.telnetPort);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await startTestServer({ guests: 3 });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.cleanup();
  });

  it('guest login - "guest" picks a free guest name, creates no account, and is not the wizard though first', async () => {
    const c = await open();
    const answer = await c.command('guest');
    const name = /Welcome, (Guest[a-z]{4})\./.exec(answer)?.[1];
    expect(name, answer).toBeDefined();
    expect(answer).not.toContain('wizard');
    expect(answer).toContain('You are a guest');
    expect(await server.store.get(`account/${name!.toLowerCase()}`)).toBeUndefined();
    expect(await server.store.get('meta/wizard')).toBeUndefined();
    expect(await c.command('look')).toContain('The Mystical Plaza');
    expect(await c.command('@dispatch actor')).not.toContain('Dispatch now');
    c.send('quit');
    await c.waitClosed();
  });

  it('guest login - a named guest is one connection: a second is refused while the first is on, and admitted after it quits', async () => {
    const first = await open();
    expect(await first.command('guest guestowl')).toContain('Welcome, Guestowl.');
    const second = await open();
    expect(await second.command('guest guestowl')).toContain('The guest guestowl is already here');
    expect(await first.command('say hoot')).toContain('You say');
    first.send('quit');
    await first.waitClosed();
    await expectEventually(async () => (await second.command('guest guestowl')).includes('Welcome, Guestowl.'), 'the name freed');
  });

  it('guest login - bad guest names, a full house and guest-like account names get one clear line each', async () => {
    const c = await open();
    expect(await c.command('guest owl')).toContain('A guest name is "guest" and 1 to 11 more letters');
    expect(await c.command('create guestbob secret')).toContain('Names beginning with "guest" are for guests');
    expect(await c.command('connect guestbob secret')).toContain('Names beginning with "guest" are for guests');
    expect(await server.store.get('account/guestbob')).toBeUndefined();
    // guests: 3; the owl from the test before is still on.
    const more = [await open(), await open()];
    for (const m of more) expect(await m.command('guest')).toContain('Welcome, Guest');
    expect(await c.command('guest')).toContain('All 3 guest places are taken');
  });
});

describe('guest login - closed', () => {
  it('guest login - --guests 0 admits no guests, and a party of guests reports why it could not come in', async () => {
    const server = await startTestServer({ guests: 0 });
    try {
      const c = await welcomed(server.telnetPort);
      expect(await c.command('guest')).toContain('Guests are not admitted here');
      c.close();
      const r = await runSwarm({ count: 2, durationMs: 100, telnetPort: server.telnetPort, guest: true });
      expect(r.placed).toBe(0);
      expect(r.firstErrors[0]).toContain('Guests are not admitted here');
    } finally {
      await server.cleanup();
    }
  });

  it('guest login - a swarm of 30 guests all arrive, act and leave; its figures add up', async () => {
    const server = await startTestServer({ nodes: 2, dispatch: 'actor' });
    try {
      const r = await runSwarm({ count: 30, rate: 4, durationMs: 1500, telnetPort: server.telnetPort, guest: true, wander: 0 });
      expect(r.firstErrors).toEqual([]);
      expect(r).toMatchObject({ bots: 30, connected: 30, placed: 30, errors: 0 });
      expect(r.arrivalMs).toBeGreaterThan(0);
      expect(r.answered).toBe(r.sent);
      // The rate is the run's answers over the run's length, never more than all answers over it.
      expect(r.answersPerSec).toBeGreaterThan(0);
      expect(r.answersPerSec).toBeLessThanOrEqual((r.answered / r.runMs) * 1000 + 0.1);
      expect(r.perSecond.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(r.answered);
      expect(await server.store.get('account/guestaaa')).toBeUndefined();
      expect(server.registry.size).toBe(0);
    } finally {
      await server.cleanup();
    }
  });
});

async function expectEventually(probe: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}
