// `afk`, over real telnet sockets against a real server: a player who steps
// away is marked in `who` and `look`, a tell still reaches them and its sender
// is told they are away, and whatever they type next brings them back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';

describe('afk', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('afk - away until the next line typed: who and look mark it, a tell is heard and its sender told', async () => {
    const ann = await player(server.telnetPort, 'ann');
    const bob = await player(server.telnetPort, 'bob');
    await ann.waitFor('Bob arrives out of thin air.');
    ann.drain();
    bob.drain();
    expect(await ann.command('afk making tea')).toBe('You are away: making tea. Whatever you type next brings you back.\n');
    await bob.waitFor('Ann steps away from the keyboard.');
    bob.drain();
    expect(await bob.command('who')).toMatch(/^ {2}Ann +The Lantern Quarter \(afk\)$/m);
    expect(await bob.command('look ann')).toContain('Ann is away: making tea.');
    expect(await bob.command('tell ann are you there')).toBe('You tell Ann, "are you there"\nAnn is away (making tea), and will see it on return.\n');
    await ann.waitFor('Bob tells you, "are you there"');
    ann.drain();
    expect(await ann.command('look')).toMatch(/^You are back\.\nThe Mystical Plaza\n/);
    expect(await bob.command('who')).not.toContain('(afk)');
    expect(await bob.command('tell ann welcome back')).toBe('You tell Ann, "welcome back"\n');
    await ann.waitFor('Bob tells you, "welcome back"');
    ann.drain();
    // `afk` alone uses a plain message; a line the parser refuses brings the player back too.
    expect(await ann.command('afk')).toBe('You are away: away from the keyboard. Whatever you type next brings you back.\n');
    expect(await ann.command('frobnicate')).toBe('You are back.\nUnknown command "frobnicate". Type "help" for a list of commands.\n');
    // A new login takes the character over at the keys.
    await ann.command('afk brb');
    const again = await player(server.telnetPort, 'ann', 'secret', 'connect');
    const told = await bob.command('tell ann hi');
    expect(told).toMatch(/You tell Ann, "hi"\n$/);
    expect(told).not.toContain('is away');
    again.close();
    bob.close();
  }, 30_000);
});
