// A store out of reach while a player enters (a partition cut the gateway's NATS server off from the
// KV bucket's leader): the player is told and let go, and the gateway goes on serving. Found on the
// network lab, where the gateway died of the unhandled error.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;
const store = new MemoryStore();
const get = store.get.bind(store);

beforeAll(async () => {
  server = await startTestServer({ store });
});
afterAll(async () => {
  await server?.cleanup();
});

it('entering - a store that fails while a player enters: they are told and let go, the gateway serves the next', async () => {
  store.get = (key) => (key.startsWith('aliases/') ? Promise.reject(new Error('NATS KV bucket mud: get failed: JetStream system temporarily unavailable')) : get(key));
  const c = await TelnetClient.open(server.telnetPort);
  await c.nextAnswer();
  c.send('create ann secret');
  await c.waitClosed(10_000);
  expect(c.drain()).toContain('The world cannot be reached just now; please try again in a moment.');
  // A guest whose entering failed: the name is free again for the next try.
  const guest = await TelnetClient.open(server.telnetPort);
  await guest.nextAnswer();
  guest.send('guest guestann');
  await guest.waitClosed(10_000);
  store.get = get;
  const again = await TelnetClient.open(server.telnetPort);
  await again.nextAnswer();
  expect(await again.command('guest guestann')).toContain('Welcome, Guestann');
  again.close();
  const bob = await player(server.telnetPort, 'bob');
  expect(await bob.command('look')).toContain('Mystical Plaza');
  bob.close();
});
