// A lost link, over real telnet sockets against a real server: a player whose
// connection drops stays in the world, link-dead, as on Diku MUDs. The room is
// told; `who` and `look <player>` show it; tells and whispers are refused with
// the reason; a group holds; connecting again takes the character over where it
// stands and the room hears "has reconnected", with no leaving or arriving. When
// the stay runs out the character leaves as on `quit`. A guest, whom no password
// guards, leaves at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say, heard } from './helpers/transcript.js';
import { waitUntil } from './helpers/nats-server.js';

const ANN = 'player/ann';
const BOB = 'player/bob';

describe('link-dead, the world', () => {
  for (const [mode, nodes] of MODES) {
    it(`link-dead - ${mode}: the room hears both ends of a lost link; tells meanwhile are refused; a logout or a login clears it`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes });
      try {
        await h.engine.connect(ANN);
        await h.engine.connect(BOB);
        await h.engine.command(ANN, { verb: 'linkLost' });
        await waitUntil(() => heard(h, /^Ann has lost the link\.$/, BOB), 5_000, () => 'Bob did not hear the link lost');
        expect(await say(h, 'tell ann hello', BOB)).toBe('Ann has lost the link for now: your words would not reach them.');
        expect(await say(h, 'look ann', BOB)).toContain('Ann stands motionless: their link to this world is lost.');
        expect(await say(h, 'look', BOB)).toMatch(/\nAnn \(link-dead\) is here\.$/);
        await h.engine.command(ANN, { verb: 'relinked' });
        await waitUntil(() => heard(h, /^Ann has reconnected\.$/, BOB), 5_000, () => 'Bob did not hear Ann come back');
        expect(await say(h, 'look', BOB)).toMatch(/\nAnn is here\.$/);
        expect(await say(h, 'tell ann hello', BOB)).toBe('You tell Ann, "hello"');
        // A stay that ran out: the logout clears the mark, so the next login is a plain one.
        await h.engine.command(ANN, { verb: 'linkLost' });
        await h.engine.disconnect(ANN);
        await h.engine.connect(ANN);
        expect(await say(h, 'look ann', BOB)).not.toContain('motionless');
        expect(await say(h, 'look', BOB)).toMatch(/\nAnn is here\.$/);
        await h.engine.command(ANN, { verb: 'relinked' });
        expect((h.lines.get(BOB) ?? []).filter((l) => l === 'Ann has reconnected.')).toHaveLength(1);
        // Moved while link-dead (a wimpy flight, waking in the start room after a fall): the new room marks her too.
        await say(h, 'south', BOB);
        const lostLines = () => (h.lines.get(BOB) ?? []).filter((l) => l === 'Ann has lost the link.').length;
        const told = lostLines();
        await h.engine.command(ANN, { verb: 'linkLost' });
        await say(h, 'south');
        expect(await say(h, 'look', BOB)).toMatch(/\nAnn \(link-dead\) is here\.$/);
        expect(lostLines()).toBe(told); // told in the room she lost it in, not again where she arrived
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});

describe('link-dead', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('link-dead - a dropped connection leaves the character standing, told and shown; connecting again takes it back, group and all', async () => {
    const ann = await player(server.telnetPort, 'ann');
    const bob = await player(server.telnetPort, 'bob');
    await ann.command('follow bob');
    expect(await bob.command('group ann')).toContain("[group] Ann joins Bob's group.");
    bob.drain();

    ann.close();
    await bob.waitFor('Ann has lost the link.');
    expect(await bob.command('who')).toMatch(/Ann +The Lantern Quarter \(link-dead\)/);
    expect(await bob.command('look')).toMatch(/\nAnn \(link-dead\) is here\.\n$/);
    expect(await bob.command('look ann')).toContain('Ann stands motionless: their link to this world is lost.');
    expect(await bob.command('tell ann are you there')).toBe('Ann has lost the link for now: your words would not reach them.\n');
    expect(await bob.command('whisper ann psst')).toBe('Ann has lost the link for now: your words would not reach them.\n');

    const back = await player(server.telnetPort, 'ann', 'secret', 'connect');
    await bob.waitFor('Ann has reconnected.');
    expect(back.drain()).not.toContain('Ann has reconnected.');
    expect(await bob.command('who')).not.toContain('link-dead');
    expect(await bob.command('tell ann welcome back')).toBe('You tell Ann, "welcome back"\n');
    await back.waitFor('Bob tells you, "welcome back"');
    // Still in Bob's group, still following him: the drop broke nothing up.
    await bob.command('gtell onward');
    await back.waitFor('[group] Bob: onward');
    await bob.command('east');
    await back.waitFor('You follow Bob east.');
    expect(bob.drain() + (await bob.command('look'))).not.toMatch(/Ann fades from view|Ann arrives out of thin air|has left the game/);
    back.close();
    bob.close();
  }, 30_000);

  it('link-dead - a guest whose connection drops leaves at once', async () => {
    const cal = await player(server.telnetPort, 'cal');
    const { TelnetClient } = await import('../portal/telnet/telnet-client.js');
    const guest = await TelnetClient.open(server.telnetPort);
    await guest.nextAnswer();
    const name = /Welcome, (Guest[a-z]+)\./.exec(await guest.command('guest'))?.[1];
    expect(name).toBeDefined();
    await cal.waitFor(`${name} arrives out of thin air.`);
    guest.close();
    await cal.waitFor(`${name} fades from view.`);
    expect(cal.drain()).not.toContain(`${name} has lost the link.`);
    cal.close();
  }, 30_000);
});

describe('link-dead, a short stay', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { linkDeadMs: 1_500 } });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('link-dead - when the stay runs out the character leaves, and the group is told', async () => {
    const dee = await player(server.telnetPort, 'dee');
    const eli = await player(server.telnetPort, 'eli');
    await dee.command('follow eli');
    expect(await eli.command('group dee')).toContain("[group] Dee joins Eli's group.");
    dee.close();
    await eli.waitFor('Dee has lost the link.');
    await eli.waitFor('Dee fades from view.');
    await eli.waitFor(/Dee has left the game/);
    eli.drain();
    expect(await eli.command('who')).not.toContain('Dee');
    // A login after the stay enters the world again, as any login does.
    const again = await player(server.telnetPort, 'dee', 'secret', 'connect');
    await eli.waitFor('Dee arrives out of thin air.');
    expect(eli.drain()).not.toContain('Dee has reconnected.');
    again.close();
    eli.close();
  }, 30_000);
});
