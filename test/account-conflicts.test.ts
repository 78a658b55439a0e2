// Creating accounts is not store contention: the store's CAS conflicts (shown
// as "CAS conflicts/s" on the monitor) stay at 0 while characters are made.
import { describe, expect, it } from 'vitest';
import { player, startTestServer } from './helpers/test-server.js';

describe('account conflicts', () => {
  it('accounts - five new characters, the first the wizard, add no CAS conflict to the store', async () => {
    const server = await startTestServer();
    try {
      const before = server.store.stats().casConflicts;
      const names = ['alice', 'bob', 'carol', 'dave', 'erin'];
      const clients = [];
      for (const name of names) clients.push(await player(server.telnetPort, name));
      expect(await server.store.get('meta/wizard')).toMatchObject({ value: { name: 'alice' } });
      expect(server.store.stats().casConflicts - before).toBe(0);
      for (const c of clients) c.close();
    } finally {
      await server.cleanup();
    }
  });
});
