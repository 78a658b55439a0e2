// Transcripts over real telnet sockets against a real server on port 0: the
// everyday commands (give, get all, drop all, look in, look me, look at a player,
// unlock with, describe, alias, password) and the text fixes of issue #13,
// matched exactly where the text is the game's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

/** Waits for a line that arrives unasked and clears it: a scripted login (one prompt
 *  per command) would otherwise find it ahead of its next answer. */
async function heard(c: TelnetClient, text: string): Promise<void> {
  await c.waitFor(text);
  c.drain();
}

const MARKET = 'The Lantern Market\nStalls crowd a narrow street under a canopy of coloured lanterns. A fruit seller dozes behind a pyramid of apples; a lantern maker folds paper into moons and fish and little boats. Nobody seems to mind if you help yourself to what has rolled into the gutter.\nExits: east.\n';

describe('everyday commands', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('items - get all groups what it takes, give hands one over, drop all leaves everything, items exist once', async () => {
    const alice = await player(server.telnetPort, 'alice');
    const bob = await player(server.telnetPort, 'bob');
    await alice.command('west');
    await bob.command('west');
    await heard(alice, 'Bob arrives from the east.');
    expect(await alice.command('look')).toBe(`${MARKET}You see two red apples, a green apple, a paper lantern and Pell the lantern maker.\nBob is here.\n`);
    expect(await alice.command('get all')).toBe('You take two red apples, a green apple and a paper lantern.\n');
    await heard(bob, 'Alice takes two red apples, a green apple and a paper lantern.');
    expect(await alice.command('get all')).toBe('There is nothing here you can take.\n');
    expect(await alice.command('inventory')).toBe('You are carrying:\n  two red apples\n  a green apple\n  a paper lantern\n');
    expect(await alice.command('give red apple to bob')).toBe('You give a red apple to Bob.\n');
    await heard(bob, 'Alice gives you a red apple.');
    expect(await bob.command('inventory')).toBe('You are carrying:\n  a red apple\n');
    expect(await alice.command('give lantern to carol')).toBe('You don\'t see "carol" here.\n');
    expect(await alice.command('give unicorn to bob')).toBe("You aren't carrying that.\n");
    expect(await alice.command('give lantern to alice')).toBe('You keep a paper lantern.\n');
    expect(await alice.command('give lantern')).toBe('Give what to whom? (usage: give <thing | all | all.thing> to <someone>)\n');
    expect(await alice.command('drop all')).toBe('You drop a red apple, a green apple and a paper lantern.\n');
    await heard(bob, 'Alice drops a red apple, a green apple and a paper lantern.');
    expect(await alice.command('drop all')).toBe("You aren't carrying anything.\n");
    expect(await bob.command('drop apple')).toBe('You drop a red apple.\n');
    await heard(alice, 'Bob drops a red apple.');
    expect(await alice.command('look')).toBe(`${MARKET}You see Pell the lantern maker, two red apples, a green apple and a paper lantern.\nBob is here.\n`);
    alice.close();
    bob.close();
    await server.engine.quiesce();
    expect(await conservationErrors(server.store, server.engine.currentWorld.definition)).toEqual([]);
  });

  it('containers - look in, get all from, a chest whose description follows its state', async () => {
    const c = await player(server.telnetPort, 'carla');
    await c.command('east');
    const closed = await c.command('look chest');
    expect(closed).toBe('A heavy oak chest bound with black iron bands. Its lock hangs from the hasp, rusted past caring.\nIt is closed.\n');
    expect(await c.command('look in chest')).toBe(closed);
    expect(await c.command('get all from chest')).toBe('The iron-bound chest is closed.\n');
    await c.command('open chest');
    expect(await c.command('look in chest')).toBe('A heavy oak chest bound with black iron bands. Its lock hangs from the hasp, rusted past caring.\nIt is open.\nInside you see a fine steel sword, a slightly damaged steel sword and a rune-etched sword.\n');
    expect(await c.command('get all from chest')).toBe('You take a fine steel sword, a slightly damaged steel sword and a rune-etched sword from the iron-bound chest.\n');
    expect(await c.command('get all from chest')).toBe('The iron-bound chest is empty.\n');
    expect(await c.command('look in rack')).toMatch(/^A wooden rack with pegs/);
    expect(await c.command('put sword in chest')).toBe('You put a fine steel sword in the iron-bound chest.\n');
    c.close();
  });

  it('keys - unlock and lock with a named key; a thing that is not a key is refused', async () => {
    const d = await player(server.telnetPort, 'dana');
    await d.command('south');
    await d.command('take key');
    await d.command('take pebble');
    await d.command('north');
    await d.command('north');
    await d.command('up');
    expect(await d.command('unlock strongbox with pebble')).toBe('A smooth white pebble is not a key.\n');
    expect(await d.command('unlock strongbox with lantern')).toBe("You aren't carrying that.\n");
    expect(await d.command('unlock strongbox with')).toBe('Unlock what? (usage: unlock <container> [with <key>])\n');
    expect(await d.command('unlock strongbox with brass key')).toBe('You unlock the small strongbox. *click*\n');
    expect(await d.command('lock box with key')).toBe('You lock the small strongbox. *click*\n');
    d.close();
  });

  it('people - look me, look at a player shows their description and what they wield and carry; describe sets it', async () => {
    const e = await player(server.telnetPort, 'erin');
    const f = await player(server.telnetPort, 'fern');
    await heard(e, 'Fern arrives');
    expect(await e.command('look me')).toBe('Erin\nYou look like a fellow traveller. (Set what others see with "describe <text>".)\nYou are empty-handed.\n');
    expect(await e.command('describe A tall figure in a grey cloak, smelling of rain.')).toBe('Others now see: A tall figure in a grey cloak, smelling of rain.\n');
    await e.command('east');
    await e.command('open chest');
    await e.command('take sword from chest');
    expect(await e.command('wield sword')).toBe('You wield a fine steel sword.\n');
    await e.command('west');
    await heard(f, 'Erin arrives from the east.');
    expect(await f.command('look erin')).toBe('Erin\nA tall figure in a grey cloak, smelling of rain.\nErin is wielding a fine steel sword.\n');
    expect(await e.command('look self')).toBe('Erin\nA tall figure in a grey cloak, smelling of rain.\nYou are wielding a fine steel sword.\n');
    e.close();
    f.close();
  });

  it('help - a command with a punctuation shortcut ends cleanly; new commands have help', async () => {
    const g = await player(server.telnetPort, 'gale');
    expect(await g.command('help say')).toBe("say <words>\nSay something to everyone in the room. Shortcut: 'hello\nAlso: sa\n");
    // Saving is automatic: `save` says so rather than "unknown command".
    expect(await g.command('save')).toMatch(/^There is no need: the world keeps your character/);
    for (const topic of ['give', 'shout', 'tell', 'reply', 'whisper', 'chat', 'history', 'alias', 'unalias', 'password', 'describe']) {
      expect(await g.command(`help ${topic}`)).toMatch(new RegExp(`^${topic}\\b`));
    }
    expect(await g.command('help')).toMatch(/give, .*tell, reply, whisper, shout, chat, history, .*alias, unalias, password/);
    g.close();
  });

  it('fountain - greets a newcomer with a mood that reads as English, then not again on a quick return', async () => {
    const h = await TelnetClient.open(server.telnetPort);
    await h.nextAnswer();
    expect(await h.command('create hana secret')).toMatch(/The fountain is in a (dreamy|playful|solemn|sparkling|sleepy) mood today\. /);
    await h.command('north');
    const back = await h.command('south');
    expect(back).toMatch(/^The Mystical Plaza\n/);
    expect(back).not.toMatch(/mood today|chimes|breeze|pigeons look up|as if to get a better look/);
    h.close();
  });

  it('alias - set, use with words after it, list, refuse past the limit, remove; kept across logins', async () => {
    const k = await player(server.telnetPort, 'kira');
    expect(await k.command('alias')).toBe('You have no aliases. Make one with: alias <word> = <command> (up to 30).\n');
    expect(await k.command('alias gs = say greetings')).toBe('Alias set: gs = say greetings\n');
    expect(await k.command('gs friends')).toBe('You say, "greetings friends"\n');
    expect(await k.command('alias alias = quit')).toBe('"alias" cannot be an alias.\n');
    expect(await k.command('alias 9x = look')).toBe('An alias is one word of up to 16 letters and digits, starting with a letter.\n');
    for (let i = 1; i < 30; i++) await k.command(`alias a${i} = look`);
    expect(await k.command('alias one = look')).toBe('You have 30 aliases, the most you can keep; unalias one first.\n');
    expect(await k.command('unalias a1')).toBe('Alias removed: a1\n');
    expect(await k.command('unalias a1')).toBe('You have no alias "a1".\n');
    k.close();
    const again = await player(server.telnetPort, 'kira', 'secret', 'connect');
    expect(await again.command('alias gs')).toBe('gs = say greetings\n');
    expect(await again.command('alias')).toMatch(/^Your aliases \(29 of 30\):\n {2}a10 = look\n/);
    again.close();
  });

  it('password - asks the old one with echo off, changes it; a wrong old one changes nothing', async () => {
    const c = await TelnetClient.open(server.telnetPort, '127.0.0.1', { keepRaw: true });
    await c.nextAnswer();
    await c.command('create lena oldpass');
    expect(await c.command('password')).toBe('Current password (an empty line cancels): ');
    expect(Buffer.concat(c.raw).includes(Buffer.from([255, 251, 1]))).toBe(true); // IAC WILL ECHO: typing hidden
    // The current password is checked at once, not after three lines.
    expect(await c.command('wrongpass')).toBe('\nThat was not your current password. Your password is unchanged.\n');
    await c.command('password');
    expect(await c.command('')).toBe('\nPassword change cancelled. Your password is unchanged.\n');
    await c.command('password');
    expect(await c.command('oldpass')).toBe('\nNew password: ');
    expect(await c.command('cancel')).toBe('\nPassword change cancelled. Your password is unchanged.\n');
    await c.command('password');
    await c.command('oldpass');
    await c.command('newpass1');
    expect(await c.command('newpass2')).toBe('\nThe new passwords differ. Your password is unchanged.\n');
    await c.command('password');
    await c.command('oldpass');
    expect(await c.command('abc')).toBe('\nPasswords need at least 4 characters. Your password is unchanged.\n');
    await c.command('password');
    await c.command('oldpass');
    await c.command('newpass1');
    expect(await c.command('newpass1')).toBe('\nPassword changed.\n');
    expect(await c.command('say still here')).toBe('You say, "still here"\n');
    c.close();
    await expect(player(server.telnetPort, 'lena', 'oldpass', 'connect')).rejects.toThrow(/login of lena failed/);
    (await player(server.telnetPort, 'lena', 'newpass1', 'connect')).close();
  });
});
