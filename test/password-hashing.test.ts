// Password hashes cost their sender (issue 25, items 2 and 9): `create <a taken
// name>` is answered before any hashing; hashes are admitted per account and per
// address before they are done; `connect` to a missing account hashes as one to
// an existing account does, with the same words; hashing runs on its own thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { MemoryStore } from '../store/memory-store.js';
import { Accounts } from '../portal/login/accounts.js';
import { PasswordHasher } from '../portal/password-hasher.js';
import { DEFAULT_HASH_LIMITS, HashGate, HashRefused } from '../portal/hash-gate.js';

const THROTTLED = /Too many password checks from your address/;
const NO_SUCH = 'Either that character does not exist, or that password is wrong.';

/** A telnet client from a loopback address of its own, at the welcome prompt. */
async function from(port: number, address: string): Promise<TelnetClient> {
  const c = await TelnetClient.open(port, '127.0.0.1', { localAddress: address });
  await c.nextAnswer();
  return c;
}

describe('password hashing over real sockets', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The per-address limits on loopback too, as on the internet: each test speaks from its own 127.0.0.x.
    server = await startTestServer({ nodes: 0, connections: { exemptLoopback: false } });
    (await player(server.telnetPort, 'rowena')).close();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('create taken - a flood of `create <a taken name>` is answered before any hash: no hashing limit is reached', async () => {
    const c = await from(server.telnetPort, '127.0.0.2');
    for (let i = 0; i < 30; i++) expect(await c.command(`create rowena guess${i}`)).toContain('That name is already taken.');
    // The address has spent none of its hashes: a real login from it goes through at once.
    expect(await c.command('connect rowena secret')).toContain('Welcome, Rowena');
    c.close();
  });

  it('hash rate - logins from one address, right passwords too, hit the per-address hashing rate; another address logs in', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 15; i++) {
      const c = await from(server.telnetPort, '127.0.0.3');
      answers.push(await c.command('connect rowena secret'));
      c.close();
    }
    const burst = DEFAULT_HASH_LIMITS.perAddressPerSecond * 10;
    expect(answers.slice(0, burst).every((a) => a.includes('Welcome, Rowena'))).toBe(true);
    expect(answers.some((a) => THROTTLED.test(a))).toBe(true);
    const other = await from(server.telnetPort, '127.0.0.4');
    expect(await other.command('connect rowena secret')).toContain('Welcome, Rowena');
    other.close();
  });

  it('at once - one address asking many hashes at once gets most refused before hashing', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => from(server.telnetPort, '127.0.0.5')));
    const answers = await Promise.all(clients.map((c, i) => c.command(`connect ghost${String.fromCharCode(97 + i)} nope`)));
    expect(answers.filter((a) => /being checked; wait for the answer/.test(a)).length).toBeGreaterThan(0);
    for (const c of clients) c.close();
  });

  it('connect - a missing account and a wrong password get the same words', async () => {
    const c = await from(server.telnetPort, '127.0.0.6');
    const missing = await c.command('connect nobodyhere whatever');
    const wrong = await c.command('connect rowena whatever');
    expect(missing).toBe(wrong);
    expect(missing).toContain(NO_SUCH);
    c.close();
  });
});

describe('accounts and the hashing thread', () => {
  const hasher = new PasswordHasher();
  afterAll(() => hasher.close());

  it('verify - a missing account costs one hash, as an existing one does', async () => {
    const accounts = new Accounts(new MemoryStore(), { hashing: new HashGate(hasher), kdfCost: 1024 });
    await accounts.create('rowena', 'secret', '10.0.0.1');
    const before = hasher.done;
    expect(await accounts.verify('rowena', 'wrong', '10.0.0.2')).toBeUndefined();
    expect(hasher.done).toBe(before + 1);
    expect(await accounts.verify('nobody', 'wrong', '10.0.0.3')).toBeUndefined();
    expect(hasher.done).toBe(before + 2);
    expect(await accounts.verify('rowena', 'secret', '10.0.0.4')).toEqual({ name: 'rowena', wizard: true });
  });

  it('create - a taken name is refused without a hash; one account is hashed one at a time', async () => {
    const accounts = new Accounts(new MemoryStore(), { hashing: new HashGate(hasher), kdfCost: 1024 });
    await accounts.create('rowena', 'secret', '10.0.0.1');
    const before = hasher.done;
    expect(await accounts.create('rowena', 'other', '10.0.0.2')).toBeUndefined();
    expect(hasher.done).toBe(before);
    const both = await Promise.allSettled([accounts.verify('rowena', 'a', '10.0.0.3'), accounts.verify('rowena', 'b', '10.0.0.4')]);
    const refused = both.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(HashRefused);
  });

  it('create - new characters per address are limited per hour', async () => {
    const accounts = new Accounts(new MemoryStore(), { hashing: new HashGate(hasher, { ...DEFAULT_HASH_LIMITS, perAddressPerSecond: 1000 }), kdfCost: 1024 });
    const made: string[] = [];
    let refusal: unknown;
    for (let i = 0; i < DEFAULT_HASH_LIMITS.createsPerAddressPerHour + 2 && !refusal; i++) {
      await accounts.create(`maker${String.fromCharCode(97 + i)}`, 'secret', '10.0.0.9').then((a) => made.push(a!.name), (err) => (refusal = err));
    }
    expect(made).toHaveLength(DEFAULT_HASH_LIMITS.createsPerAddressPerHour);
    expect((refusal as Error).message).toMatch(/Too many new characters from your address/);
  });
});
