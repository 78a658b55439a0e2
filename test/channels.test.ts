// Channels and item hand-overs in every dispatch mode: the same scripted
// session of tells, whispers, chat, give, get all and drop all gives the same
// transcript in-process, as homed actors, as stateless functions and with a
// mixed table, and every item still exists exactly once. Then, over real
// telnet: chat on/off kept with the character, whisper privacy, the history,
// GMCP Comm.Channel.Text, and the prompt sent again after lines arrive unasked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';
import { GMCP } from '../portal/telnet/telnet-options.js';

const SCRIPT: Array<[string, string]> = [
  ['alice', 'west'], ['bob', 'west'], ['carol', 'look'],
  ['alice', 'get all'], ['alice', 'give red apple to bob'], ['alice', 'give green apple to carol'],
  ['alice', 'tell bob meet me by the fountain'], ['bob', 'reply on my way'], ['carol', 'reply hello?'],
  ['alice', 'tell nobody hello'], ['alice', 'tell carol are you there'],
  ['alice', 'whisper bob the lantern is mine'], ['alice', 'whisper carol psst'],
  ['alice', 'chat hello everyone'], ['carol', 'chat hi alice'], ['carol', 'shout is anyone out there'], ['bob', 'history chat'],
  ['alice', 'drop all'], ['bob', 'get all'], ['bob', 'i'], ['bob', 'east'], ['bob', 'drop all'], ['carol', 'get all'],
];

async function transcript(dispatch: string): Promise<{ lines: Record<string, string[]>; conservation: string[] }> {
  const h = await engineHarness({ dispatch, nodes: dispatch === 'in-process' ? 0 : 2 });
  try {
    for (const p of ['alice', 'bob', 'carol']) await h.engine.connect(`player/${p}`);
    for (const [who, line] of SCRIPT) {
      // `chat` is answered by the session (chat on/off); its words run in the world as this command.
      if (line.startsWith('chat ')) await h.engine.command(`player/${who}`, { verb: 'chat', text: line.slice(5) });
      else await h.type(`player/${who}`, line);
    }
    for (const p of ['alice', 'bob', 'carol']) await h.engine.disconnect(`player/${p}`);
    const lines = Object.fromEntries([...h.lines].map(([p, l]) => [p, l.map((x) => canonical(x.replace(/^\d\d:\d\d /gm, 'HH:MM ')))]));
    return { lines, conservation: await conservationErrors(h.store, h.world.definition) };
  } finally {
    await h.close();
  }
}

/** `get all` and `drop all` move each thing in its own message; in function mode
 *  they reach their new holder in any order. What must match across modes is
 *  which things moved, so lists of things are compared sorted. */
function canonical(line: string): string {
  const moved = /^(.*? (?:take|takes|drop|drops) )(.+)\.$/.exec(line);
  if (moved) return `${moved[1]}${moved[2].split(/, | and /).sort().join(', ')}.`;
  if (line.startsWith('You are carrying:')) {
    const [head, ...things] = line.split('\n');
    return [head, ...things.sort()].join('\n');
  }
  return line;
}

describe('channels', () => {
  it('channels - tell, reply, whisper, chat, history, give, get all and drop all read the same in every dispatch mode; items exist once', async () => {
    const base = await transcript('in-process');
    const alice = base.lines['player/alice'].join('\n');
    const bob = base.lines['player/bob'].join('\n');
    const carol = base.lines['player/carol'].join('\n');
    expect(base.lines['player/bob']).toContain('Alice drops a green apple, a paper lantern, a red apple.');
    expect(alice).toContain('You take a green apple, a paper lantern, two red apples.');
    expect(alice).toContain('You give a red apple to Bob.');
    expect(alice).toContain("You don't see \"carol\" here.");
    expect(bob).toContain('Alice gives you a red apple.');
    expect(bob).toContain('Alice tells you, "meet me by the fountain"');
    expect(alice).toContain('Bob tells you, "on my way"');
    expect(carol).toContain('No one has sent you a tell to reply to.');
    expect(alice).toContain('There is no one called Nobody.');
    expect(carol).toContain('Alice tells you, "are you there"');
    expect(bob).toContain('Alice whispers to you, "the lantern is mine"');
    expect(alice).toContain("You don't see Carol here.");
    expect(carol).not.toContain('the lantern is mine');
    expect(bob).toContain('[chat] Carol: hi alice');
    expect(bob).toContain('Carol shouts, "is anyone out there"');
    expect(alice).toContain('Carol shouts, "is anyone out there"');
    expect(carol).toContain('You shout, "is anyone out there"');
    expect(bob).toContain('The last 2 lines on chat (up to 20 are kept):\nHH:MM [chat] Alice: hello everyone\nHH:MM [chat] Carol: hi alice');
    expect(bob).toContain('You are carrying:\n  a green apple\n  a paper lantern\n  two red apples');
    expect(bob).toContain('You drop a green apple, a paper lantern, two red apples.');
    expect(carol).toContain('You take a green apple, a paper lantern, two red apples.');
    expect(base.conservation).toEqual([]);
    for (const mode of ['actor', 'function', 'room=function,item=actor,default=in-process', 'player=actor,default=function']) {
      const other = await transcript(mode);
      expect(other.lines, mode).toEqual(base.lines);
      expect(other.conservation, mode).toEqual([]);
    }
  }, 90_000);
});

describe('channels over telnet', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('whisper - the target hears it, the room sees that it happened, not what', async () => {
    const [a, b, c] = await Promise.all(['amy', 'ben', 'cal'].map((n) => player(server.telnetPort, n)));
    await a.command('look');
    expect(await a.command('whisper ben the key is under the mat')).toBe('You whisper to Ben, "the key is under the mat"\n');
    await b.waitFor('Amy whispers to you, "the key is under the mat"');
    const seen = await c.waitFor('Amy whispers something to Ben.');
    expect(seen).not.toContain('under the mat');
    expect(await a.command('whisper zed hello')).toBe("You don't see Zed here.\n");
    expect(await a.command('whisper amy hello')).toBe('You whisper to yourself.\n');
    for (const x of [a, b, c]) x.close();
  });

  it('tell - a player who is offline, or never was, is named so; reply goes to the last teller', async () => {
    const d = await player(server.telnetPort, 'dot');
    const e = await player(server.telnetPort, 'eve');
    await d.waitFor('Eve arrives');
    // A scripted login gets unasked lines ahead of its next answer (one prompt per command).
    expect(await d.command('tell eve are you awake')).toBe('Eve arrives out of thin air.\nYou tell Eve, "are you awake"\n');
    await e.waitFor('Dot tells you, "are you awake"');
    expect(await e.command('reply yes')).toMatch(/^Dot tells you, "are you awake"\nYou tell Dot, "yes"\n$/);
    e.send('quit');
    await e.waitClosed();
    expect(await d.command('tell eve still there')).toMatch(/\nEve is not online\.\n$/);
    expect(await d.command('tell quentin hi')).toBe('There is no one called Quentin.\n');
    expect(await d.command('tell 42 hi')).toBe('There is no one called "42". (usage: tell <player> <words>)\n');
    d.close();
  });

  it('chat - heard by everyone listening; chat off is kept across logins; history keeps the last lines', async () => {
    const f = await player(server.telnetPort, 'fay');
    const g = await player(server.telnetPort, 'gus');
    await f.waitFor('Gus arrives');
    expect(await g.command('chat off')).toBe('You no longer hear chat. "chat on" to listen again.\n');
    expect(await g.command('chat hello')).toBe('You have chat off; "chat on" first to talk on it.\n');
    expect(await f.command('chat anyone here?')).toBe('Gus arrives out of thin air.\n[chat] Fay: anyone here?\n');
    g.close();
    // The dropped connection left Gus standing, link-dead: the login takes him back where he stood.
    const again = await player(server.telnetPort, 'gus', 'secret', 'connect');
    await f.waitFor('Gus has reconnected.');
    expect(await f.command('chat second line')).toMatch(/\[chat\] Fay: second line\n$/);
    expect(await again.command('history chat')).toMatch(/^The last 2 lines on chat \(up to 20 are kept\):\n\d\d:\d\d \[chat\] Fay: anyone here\?\n\d\d:\d\d \[chat\] Fay: second line\n$/);
    expect(await again.command('chat on')).toBe('You listen to chat again.\n');
    expect(await f.command('chat third')).toBe('[chat] Fay: third\n');
    await again.waitFor('[chat] Fay: third');
    expect(await again.command('chat')).toBe('[chat] Fay: third\nChat what? (usage: chat <words> | chat on | chat off)\n');
    expect(await again.command('history tells')).toBe('History of which channel? There is one: chat. (usage: history chat)\n');
    f.close();
    again.close();
  });

  it('chat - a GMCP client gets the line as Comm.Channel.Text too', async () => {
    const h = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await h.until(() => h.agreed.has(GMCP), 'GMCP agreed');
    h.sendGmcp('Core.Supports.Set ["Comm.Channel 1"]');
    await h.waitText('By what name');
    await h.command('create hal secret', 'Mystical Plaza');
    await h.command('chat testing gmcp', '[chat] Hal: testing gmcp');
    expect(await h.waitGmcp('Comm.Channel.Text', (d) => d.channel === 'chat')).toEqual({ channel: 'chat', talker: 'Hal', text: '[chat] Hal: testing gmcp' });
    h.close();
  });

  it('prompt - a line that reaches an idle player is followed by one prompt (EOR), not two; scripted logins keep one prompt per command', async () => {
    const i = await RawTelnet.open(server.telnetPort, {});
    await i.waitText('By what name');
    await i.command('Ivy', 'Make a new character');
    await i.command('yes', 'Choose a password');
    await i.command('secret1', 'Confirm');
    await i.command('secret1', 'Mystical Plaza');
    const bot = await RawTelnet.open(server.telnetPort, {});
    await bot.waitText('By what name');
    await bot.command('create kim secret', 'Mystical Plaza');
    const j = await player(server.telnetPort, 'jon');
    await i.waitText('Jon arrives');
    await bot.waitText('Jon arrives');
    const [iMark, botMark] = [i.stream.length, bot.stream.length];
    await j.command('say hello ivy');
    await j.command('say bye now');
    await i.waitText('Jon says, "bye now"');
    const after = () => Buffer.concat(i.stream.slice(iMark)).toString('latin1');
    await i.until(() => /Jon says, "bye now"\r\n> \xff(\xef|\xf9)$/.test(after()), 'the prompt after the line');
    expect(after().match(/> \xff(\xef|\xf9)/g)).toHaveLength(2);
    expect(after()).toMatch(/Jon says, "hello ivy"\r\n> \xff(\xef|\xf9)/);
    await bot.waitText('Jon says, "bye now"');
    expect(Buffer.concat(bot.stream.slice(botMark)).toString('latin1')).not.toContain('> ');
    await bot.command('config prompt always', 'Change with');
    const again = bot.stream.length;
    await j.command('say again');
    await bot.until(() => /Jon says, "again"\r\n> \xff(\xef|\xf9)$/.test(Buffer.concat(bot.stream.slice(again)).toString('latin1')), 'the prompt after the line');
    for (const c of [i, bot, j]) c.close();
  });

  it('prompt - a client that knows no prompts (no EOR, as a plain telnet) gets an unasked line below its prompt, not after it; an answer to a typed line does not', async () => {
    const t = await RawTelnet.open(server.telnetPort, { eor: false });
    await t.waitText('By what name');
    await t.command('create tess secret', 'Mystical Plaza');
    await t.command('config prompt always', 'Change with');
    const k = await player(server.telnetPort, 'kit');
    await t.waitText('Kit arrives');
    const mark = t.stream.length;
    await k.command('say hello tess');
    const after = () => Buffer.concat(t.stream.slice(mark)).toString('latin1');
    await t.until(() => /Kit says, "hello tess"\r\n> \xff\xf9$/.test(after()), 'the line and its prompt');
    // The prompt it had ("> " and GA) is on screen: the line starts on a new line, then the prompt again.
    expect(after()).toMatch(/^\r\nKit says, "hello tess"\r\n> \xff\xf9$/);
    const typed = t.stream.length;
    await t.command('look', 'Mystical Plaza');
    expect(Buffer.concat(t.stream.slice(typed)).toString('latin1')).toMatch(/^The Mystical Plaza/);
    for (const c of [t, k]) c.close();
  });
});
