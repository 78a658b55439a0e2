// End to end over real telnet sockets against a real server on port 0: the
// flow a newcomer plays, a second player seeing say/emote, and a restart on the
// same data dir that finds everything where it was left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

describe('telnet play', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('play - create, look, open the chest, take the sword, wield the magic sword, restart and still have it', async () => {
    const alice = await player(server.telnetPort, 'alice');
    expect(await alice.command('look')).toMatch(/^The Mystical Plaza\n[\s\S]*Exits: north, east, west, south\./);
    expect(await alice.command('east')).toMatch(/The Old Armory/);
    expect(await alice.command('take sword from chest')).toBe('The iron-bound chest is closed.\n');
    expect(await alice.command('open chest')).toBe('You open the iron-bound chest.\n');
    expect(await alice.command('look in chest'.replace(' in', ''))).toMatch(/Inside you see a fine steel sword, a slightly damaged steel sword and a rune-etched sword\./);
    expect(await alice.command('take sword from chest')).toBe('You take a fine steel sword from the iron-bound chest.\n');
    expect(await alice.command('take magic_sword from chest')).toBe('You take a rune-etched sword from the iron-bound chest.\n');
    expect(await alice.command('inventory')).toBe('You are carrying:\n  a fine steel sword\n  a rune-etched sword\n');
    expect(await alice.command('wield magic_sword')).toMatch(/^You wield a rune-etched sword\.\nThe blade flares with a pale blue light and hums/);
    expect(await alice.command('take damaged from chest')).toBe('You take a slightly damaged steel sword from the iron-bound chest.\n');
    expect(await alice.command('look damaged')).toMatch(/slightly damaged \(60%\): it would deal 5 of its 8 damage/);
    expect(await alice.command('put damaged in chest')).toBe('You put a slightly damaged steel sword in the iron-bound chest.\n');
    expect(await alice.command('i')).toMatch(/a rune-etched sword \(wielded\)/);
    alice.send('quit');
    await alice.waitFor('Farewell!');
    await alice.waitClosed();
  });

  it('play - say and emote are seen by a second player in the same room', async () => {
    const bob = await player(server.telnetPort, 'bob');
    const carol = await player(server.telnetPort, 'carol');
    await bob.command('look');
    carol.drain();
    expect(await bob.command('say Hello there')).toBe('You say, "Hello there"\n');
    await carol.waitFor('Bob says, "Hello there"');
    expect(await bob.command(':waves cheerfully')).toMatch(/^Bob waves cheerfully\n/);
    await carol.waitFor('Bob waves cheerfully');
    // Players see the area, not the exact room (a wizard sees rooms: the who test below).
    expect(await carol.command('who')).toMatch(/Players online: 2\n  Bob\s+The Lantern Quarter\n  Carol\s+The Lantern Quarter\n$/);
    carol.drain();
    await bob.command('north');
    await carol.waitFor('Bob leaves north.');
    bob.close();
    carol.close();
  });

  it('play - the sword is still carried and gone from the chest after a restart', async () => {
    await server.stop();
    server = await startTestServer({ dataDir: server.dataDir });
    const alice = await player(server.telnetPort, 'alice', 'secret', 'connect');
    expect(await alice.command('inventory')).toBe('You are carrying:\n  a fine steel sword (wielded)\n  a rune-etched sword\n'.replace(' (wielded)', '').replace('rune-etched sword', 'rune-etched sword (wielded)'));
    expect(await alice.command('look chest')).toMatch(/Inside you see a slightly damaged steel sword\.\n$/);
    expect(await alice.command('examine magic sword')).toMatch(/4 charges remain/);
    alice.close();
  });

  it('login - the interactive flow asks for a password twice with echo off, then logs in', async () => {
    const c = await TelnetClient.open(server.telnetPort, '127.0.0.1', { keepRaw: true });
    expect(await c.nextAnswer()).toMatch(/By what name shall you be known\? $/);
    // A name no one has: asked to confirm first (a mistyped name must not make a character), Enter goes back.
    expect(await c.command('Dora')).toMatch(/^There is no one called Dora here\. Make a new character by that name\? \(yes, or Enter to choose again\) $/);
    expect(await c.command('')).toBe('By what name shall you be known? ');
    await c.command('Dora');
    expect(await c.command('yes')).toMatch(/A new traveller: Dora\.\nChoose a password for Dora \(Enter to go back\): $/);
    expect(Buffer.concat(c.raw).includes(Buffer.from([255, 251, 1]))).toBe(true); // IAC WILL ECHO
    // Each hidden line is ended by the server, since the client did not echo its Enter.
    expect(await c.command('pw1234')).toBe('\nConfirm the password: ');
    // A new character is told where to start, right under the welcome.
    expect(await c.command('pw1234')).toMatch(/^\nWelcome, Dora\.\nTo begin: "look" shows where you are, "help" lists what you can do/);
    c.close();
    const again = await TelnetClient.open(server.telnetPort);
    await again.nextAnswer();
    expect(await again.command('dora')).toBe('Password (Enter to choose another name): ');
    expect(await again.command('')).toBe('\nBy what name shall you be known? ');
    await again.command('dora');
    expect(await again.command('wrong')).toBe('\nWrong password.\nPassword (Enter to choose another name): ');
    const back = await again.command('pw1234');
    expect(back).toMatch(/Welcome, Dora\./);
    expect(back).not.toContain('To begin:');
    again.close();
  });

  it('login - a second login takes the character over and the first connection is told and closed', async () => {
    const first = await player(server.telnetPort, 'erin');
    const second = await player(server.telnetPort, 'erin', 'secret', 'connect');
    await first.waitFor('taken over by a new connection');
    await first.waitClosed();
    expect(await second.command('look')).toMatch(/The Mystical Plaza/);
    second.close();
  });

  it('commands - unknown and ambiguous commands answer helpfully; help explains one command', async () => {
    const c = await player(server.telnetPort, 'frank');
    expect(await c.command('xyzzy')).toBe('Unknown command "xyzzy". Type "help" for a list of commands.\n');
    expect(await c.command('un')).toBe('"un" could mean: unlock, unwield, unignore, ungroup, unalias. Type more of it.\n');
    expect(await c.command('help put')).toMatch(/^put <thing \| all \| all\.thing> in <container>\n/);
    expect(await c.command('take unicorn')).toBe('You don\'t see "unicorn" here.\n');
    expect(await c.command('up')).toBe("You can't go that way.\n");
    c.close();
  });

  it('wizard - the first account is the wizard; @reload keeps players and what they carry', async () => {
    const alice = await player(server.telnetPort, 'alice', 'secret', 'connect');
    expect(await alice.command('@reload')).toMatch(/^World reloaded/);
    expect(await alice.command('i')).toMatch(/a fine steel sword/);
    const bob = await player(server.telnetPort, 'bob', 'secret', 'connect');
    expect(await bob.command('@reload')).toMatch(/Unknown command "@reload"/);
    // `who`: the wizard sees each player's room, a player only the area.
    expect(await alice.command('who')).toMatch(/\n  Bob\s+The Old Library\n/); // where the play test left him
    expect(await bob.command('who')).toMatch(/\n  Alice\s+The Lantern Quarter\n/);
    alice.close();
    bob.close();
  });
});
