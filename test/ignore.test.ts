// `ignore`, over real telnet sockets against a real server: an ignored player's
// says, emotes, socials, shouts, chat and group talk never reach the one who
// ignores them (the session drops them by the line's speaker), their tells and
// whispers are refused in the world and they are told so (and `reply` never
// points at them), a third player hears everything, and the list is kept with
// the character across a new login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';
import { GMCP } from '../portal/telnet/telnet-options.js';

const FROM_ANN = /Ann (says|waves|smiles|shouts|whispers|tells)|\[chat\] Ann|\[group\] Ann/;

describe('ignore', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('ignore - what an ignored player says never reaches the one ignoring them; tells and whispers are refused; the list outlives a login', async () => {
    const ann = await player(server.telnetPort, 'ann');
    const bob = await player(server.telnetPort, 'bob');
    const cyra = await player(server.telnetPort, 'cyra');
    await bob.waitFor('Cyra arrives out of thin air.');
    bob.drain();
    expect(await bob.command('ignore')).toBe('You ignore no one. ("ignore <player>" stops their words reaching you, up to 50 players.)\n');
    expect(await bob.command('ignore bob')).toBe('You cannot ignore yourself.\n');
    expect(await bob.command('ignore zed')).toBe('There is no one called Zed.\n');
    expect(await bob.command('ignore ann')).toBe('You ignore Ann: you no longer get their says, emotes, tells, whispers, shouts or chat. ("unignore ann" to hear them again.)\n');
    expect(await bob.command('ignore ann')).toBe('You already ignore Ann.\n');
    expect(await bob.command('ignore')).toBe('You ignore (1 of 50): Ann.\n');
    // Ann follows Bob and joins his group, so that her group talk is tried too.
    await ann.command('follow bob');
    expect(await bob.command('group ann')).toContain("[group] Ann joins Bob's group.");
    await ann.waitFor("[group] Ann joins Bob's group.");
    ann.drain();
    bob.drain();

    expect(await ann.command('tell bob psst')).toBe('Bob is ignoring you.\n');
    expect(await ann.command('whisper bob a secret')).toBe('Bob is ignoring you.\n');
    for (const [line, seen] of [['say hello', 'Ann says, "hello"'], ['emote waves', 'Ann waves'], ['smile bob', 'Ann smiles at Bob.'], ['shout oi', 'Ann shouts, "oi"'], ['chat hi all', '[chat] Ann: hi all']]) {
      await ann.command(line);
      await cyra.waitFor(seen);
      ann.drain();
    }
    expect(await ann.command('gtell hi group')).toContain('[group] Ann: hi group');
    // Cyra's line comes after all of Ann's on Bob's connection: by the time it arrives, any of Ann's would have.
    await cyra.command('say done');
    await bob.waitFor('Cyra says, "done"');
    expect(bob.drain()).not.toMatch(FROM_ANN);
    expect(await bob.command('reply are you there')).toBe('No one has sent you a tell to reply to.\n');

    expect(await bob.command('unignore ann')).toBe('You hear Ann again.\n');
    expect(await bob.command('unignore ann')).toBe('You do not ignore Ann.\n');
    await ann.command('say again');
    await bob.waitFor('Ann says, "again"');
    ann.drain();
    expect(await ann.command('tell bob back again')).toBe('You tell Bob, "back again"\n');
    await bob.waitFor('Ann tells you, "back again"');
    bob.drain();

    // Kept with the character: a new login still ignores her, in the session and in the world.
    expect(await bob.command('ignore ann')).toMatch(/^You ignore Ann: /);
    bob.close();
    const again = await player(server.telnetPort, 'bob', 'secret', 'connect');
    expect(await again.command('ignore')).toBe('You ignore (1 of 50): Ann.\n');
    await ann.waitFor('Bob has reconnected.'); // the dropped connection left him link-dead: the login took him back
    ann.drain();
    expect(await ann.command('tell bob hello?')).toBe('Bob is ignoring you.\n');
    await ann.command('say still here');
    await cyra.waitFor('Ann says, "still here"');
    ann.drain();
    await cyra.command('say done again');
    await again.waitFor('Cyra says, "done again"');
    expect(again.drain()).not.toMatch(FROM_ANN);
    for (const c of [ann, again, cyra]) c.close();
  }, 60_000);

  it('ignore - a GMCP client gets no Comm.Channel.Text of an ignored player either (a client\'s chat window shows them)', async () => {
    const gus = await player(server.telnetPort, 'gus');
    const hal = await player(server.telnetPort, 'hal');
    const ivy = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await ivy.until(() => ivy.agreed.has(GMCP), 'GMCP agreed');
    ivy.sendGmcp('Core.Supports.Set ["Comm.Channel 1"]');
    await ivy.waitText('By what name');
    await ivy.command('create ivy secret', 'Mystical Plaza');
    await ivy.command('ignore gus', 'You ignore Gus');
    for (const line of ['say hidden', 'chat hidden too', 'shout hidden as well']) await gus.command(line);
    // Hal's lines come after Gus's on Ivy's connection: once they are here, Gus's would have been.
    for (const line of ['say shown', 'chat shown too', 'shout shown as well']) await hal.command(line);
    await ivy.waitGmcp('Comm.Channel.Text', (d) => d.channel === 'shout' && d.talker === 'Hal');
    await ivy.waitGmcp('Comm.Channel.Text', (d) => d.channel === 'chat' && d.talker === 'Hal');
    await ivy.waitGmcp('Comm.Channel.Text', (d) => d.channel === 'say' && d.talker === 'Hal');
    const talkers = ivy.gmcp.filter((m) => m.pkg === 'Comm.Channel.Text').map((m) => (m.data as { talker: string }).talker);
    expect(talkers).toContain('Hal');
    expect(talkers).not.toContain('Gus');
    for (const c of [gus, hal, ivy]) c.close();
  }, 60_000);
});
