// Letters (`mail`): a letter reaches a player who is not online, they are told at login and read it; a full
// mailbox, a reader who ignores the writer, a guest and a name no one has refuse it, and the writer is told. In every
// dispatch mode, then over real telnet sockets against a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { MODES, say, heard } from './helpers/transcript.js';
import { waitUntil } from './helpers/nats-server.js';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { MAILBOX_LIMIT } from '../world/kinds/mailbox.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

const ANN = 'player/ann';
const BOB = 'player/bob';

/** Lines `who` got since `from`. */
const since = (h: EngineHarness, who: string, from: number) => (h.lines.get(who) ?? []).slice(from).join('\n');

describe('mail', () => {
  for (const [mode, nodes] of MODES) {
    it(`mail - ${mode}: a letter waits for its reader, who is told at login, reads it and throws it away; refusals are told`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes });
      try {
        h.lines.set(ANN, []);
        h.lines.set(BOB, []);
        await h.engine.connect(ANN);
        await h.engine.connect(BOB);
        await h.engine.disconnect(BOB);
        // Bob is not online: a tell is refused, a letter waits.
        expect(await say(h, 'tell bob hello')).toBe('Bob is not online.');
        expect(await say(h, 'mail bob meet me at the fountain at nine')).toBe('Your letter is on its way to Bob.');
        expect(await say(h, 'mail zed hello')).toBe('There is no one called Zed.');
        expect(await say(h, 'mail ann hello')).toBe('You scribble a note to yourself and tuck it away.');
        expect(await say(h, 'mail')).toBe('You have no letters. "mail <player> <words>" sends one.');

        const before = h.lines.get(BOB)!.length;
        await h.engine.connect(BOB);
        await waitUntil(() => since(h, BOB, before).includes('You have an unread letter: "mail" lists your letters.'), 5_000, () => since(h, BOB, before));
        expect(await say(h, 'mail', BOB)).toMatch(/^Your letters \(1 of 30, 1 unread, marked \*\):\n {2}1\. \* from Ann, just now: meet me at the fountain at nine\n/);
        expect(await say(h, 'mail 2', BOB)).toBe('There is no letter 2: you have one, "mail 1".');
        expect(await say(h, 'mail 1', BOB)).toBe('Letter 1, from Ann, just now:\nmeet me at the fountain at nine');
        expect(await say(h, 'mail', BOB)).toMatch(/^Your letters \(1 of 30\):\n {2}1\. {3}from Ann/);
        // Read: the next login says nothing of it.
        await h.engine.disconnect(BOB);
        const again = h.lines.get(BOB)!.length;
        await h.engine.connect(BOB);
        await say(h, 'look', BOB);
        expect(since(h, BOB, again)).not.toContain('unread');

        // Online, the reader hears it come.
        expect(await say(h, 'mail bob and bring the lamp')).toBe('Your letter is on its way to Bob.');
        await waitUntil(() => heard(h, /^A letter from Ann has come: "mail 2" reads it\.$/, BOB), 5_000, () => 'Bob was not told');
        expect(await say(h, 'mail delete 1', BOB)).toBe('You throw away the letter from Ann. The ones after it move up a number.');
        expect(await say(h, 'mail 1', BOB)).toBe('Letter 1, from Ann, just now:\nand bring the lamp');
        expect(await say(h, 'mail delete all', BOB)).toBe('You throw away your letter.');

        // A reader who ignores the writer refuses the letter, and the writer is told.
        await h.engine.command(BOB, { verb: 'ignoring', names: ['ann'] });
        expect(await say(h, 'mail bob are you cross with me')).toBe('Bob is ignoring you.');
        await h.engine.command(BOB, { verb: 'ignoring', names: [] });

        // A full mailbox refuses the next letter.
        for (let i = 1; i <= MAILBOX_LIMIT; i++) await say(h, `mail bob letter ${i}`);
        expect(await say(h, 'mail bob one too many')).toBe(`Bob's mailbox is full (${MAILBOX_LIMIT} letters): yours was not delivered.`);
        expect(await say(h, 'mail', BOB)).toMatch(new RegExp(`^Your letters \\(${MAILBOX_LIMIT} of ${MAILBOX_LIMIT}, ${MAILBOX_LIMIT} unread, marked \\*\\):`));
        expect(await say(h, 'mail delete all', BOB)).toBe(`You throw away all ${MAILBOX_LIMIT} of your letters.`);
        await h.engine.disconnect(BOB);
        const empty = h.lines.get(BOB)!.length;
        await h.engine.connect(BOB);
        await say(h, 'look', BOB);
        expect(since(h, BOB, empty)).not.toContain('unread');

        // A letter that comes while the link is lost is heard of when the player takes the character back.
        await h.engine.command(BOB, { verb: 'linkLost' });
        await say(h, 'mail bob still there?');
        const relinked = h.lines.get(BOB)!.length;
        await h.engine.command(BOB, { verb: 'relinked' });
        expect(since(h, BOB, relinked)).toContain('You have an unread letter: "mail" lists your letters.');

        // Guests keep no mailbox, either way.
        h.lines.set('player/guestabc', []);
        await h.engine.connect('player/guestabc');
        expect(await say(h, 'mail', 'player/guestabc')).toBe('Guests keep no mailbox: create a character to send and receive letters.');
        expect(await say(h, 'mail guestabc hello')).toBe('Guestabc is a guest, and guests keep no mailbox.');
      } finally {
        await h.close();
      }
    }, 60_000);
  }

  it('mail - the parser: numbers, delete, a letter too long, no words', async () => {
    const h = await engineHarness({ dispatch: 'in-process', nodes: 0 });
    try {
      await h.engine.connect(ANN);
      await expect(say(h, 'mail 0')).rejects.toThrow('Which letter? They are numbered from 1.');
      await expect(say(h, 'mail delete')).rejects.toThrow('Throw away which letter? "mail delete 2", or "mail delete all".');
      await expect(say(h, 'mail bob')).rejects.toThrow('Write what to bob? "mail bob <words>"');
      await expect(say(h, `mail bob ${'x'.repeat(601)}`)).rejects.toThrow('A letter is at most 600 characters; that one has 601.');
      await expect(say(h, 'mail b0b hi')).rejects.toThrow('There is no one called "b0b".');
    } finally {
      await h.close();
    }
  });
});

describe('mail over telnet', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('mail over telnet - written to a player who left, told at their next login', async () => {
    const bob = await player(server.telnetPort, 'bob');
    bob.send('quit');
    await bob.waitClosed();
    const ann = await player(server.telnetPort, 'ann');
    expect(await ann.command('mail bob the chest is open')).toBe('Your letter is on its way to Bob.\n');
    const back = await TelnetClient.open(server.telnetPort);
    await back.nextAnswer(); // the welcome screen
    expect(await back.command('connect bob secret')).toMatch(/^Welcome, Bob\..*\nYou have an unread letter: "mail" lists your letters\.\nThe Mystical Plaza\n/);
    expect(await back.command('mail 1')).toBe('Letter 1, from Ann, just now:\nthe chest is open\n');
    ann.close();
    back.close();
  }, 30_000);
});
