// What MUD clients negotiate, end to end over real sockets against a real
// server: GMCP packages, MSSP, MCCP2 (inflated and compared byte for byte with
// a plain session), wrapping to the NAWS width, colour by TTYPE/MTTS and by
// the player's persisted `config`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { RawTelnet, type RawTelnetOptions } from '../portal/telnet/raw-telnet.js';
import { GMCP, MCCP2 } from '../portal/telnet/telnet-options.js';
import { roomNumber } from '../world/core/room-number.js';

const ESC = '\u001b';
/** Mudlet's list is longer than the old 512-byte subnegotiation limit would comfortably allow. */
const MUDLET_SUPPORTS = ['Char 1', 'Char.Skills 1', 'Char.Items 1', 'Room 1', 'IRE.Rift 1', 'IRE.Composer 1', 'External.Discord 1',
  'Client.Media 1', 'IRE.Display 3', 'IRE.Tasks 1', 'IRE.Time 1', 'IRE.Target 1', 'Comm.Channel 1', 'IRE.CombatMessage 1', 'IRE.Misc 1'];

async function login(port: number, name: string, opts: RawTelnetOptions, verb: 'create' | 'connect' = 'create'): Promise<RawTelnet> {
  const c = await RawTelnet.open(port, opts);
  await c.waitText('By what name');
  await c.command(`${verb} ${name} secret`, '\u0007');
  await c.until(() => /Welcome[^\u0007]*\u0007/.test(c.text), 'the first game prompt');
  return c;
}

const visibleLines = (text: string): string[] => text.replace(/\u001b\[[0-9;]*m/g, '').split(/\r?\n/);

describe('telnet clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ listing: { hostname: 'mud.example.org', contact: 'ops@example.org', created: '2026' } });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('gmcp - Core.Supports lists long as Mudlet sends them; Char.Name, Char.Items.List, Char.Status, Room.Info, Room.Players follow play', async () => {
    const c = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await c.until(() => c.agreed.has(GMCP), 'GMCP agreed');
    c.sendGmcp('Core.Hello {"client": "Mudlet", "version": "4.17.2"}');
    c.sendGmcp(`Core.Supports.Set ${JSON.stringify(MUDLET_SUPPORTS)}`);
    expect(JSON.stringify(MUDLET_SUPPORTS).length).toBeGreaterThan(64);
    await c.waitText('By what name');
    c.send('create gmcpa secret');
    expect(await c.waitGmcp('Char.Name')).toEqual({ name: 'gmcpa', fullname: 'Gmcpa' });
    expect(await c.waitGmcp('Char.Items.List', (d) => d.location === 'inv')).toEqual({ location: 'inv', items: [] });
    const plaza = await c.waitGmcp('Room.Info');
    expect(plaza).toMatchObject({ num: roomNumber('room/mystical_plaza'), id: 'room/mystical_plaza', name: 'The Mystical Plaza', area: 'The Lantern Quarter' });
    expect(plaza.exits).toEqual({ n: roomNumber('room/old_library'), e: roomNumber('room/armory'), w: roomNumber('room/lantern_market'), s: roomNumber('room/moonlit_garden') });
    expect(await c.waitGmcp('Room.Players')).toEqual(expect.arrayContaining([{ name: 'gmcpa', fullname: 'Gmcpa' }]));
    expect(await c.waitGmcp('Char.Status')).toMatchObject({ name: 'Gmcpa', room: 'The Mystical Plaza', carrying: 0 });
    c.gmcp.length = 0;
    await c.command('east', 'The Old Armory');
    const armory = await c.waitGmcp('Room.Info');
    expect(armory).toMatchObject({ num: roomNumber('room/armory'), name: 'The Old Armory', exits: { w: plaza.num } });
    expect(await c.waitGmcp('Char.Items.List', (d) => d.location === 'room')).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ id: 'item/chest', attrib: 'c' })]) });
    await c.command('open chest', 'You open');
    c.gmcp.length = 0;
    await c.command('take sword from chest', 'You take');
    const inv = await c.waitGmcp('Char.Items.List', (d) => d.location === 'inv');
    expect(inv.items).toEqual([expect.objectContaining({ name: 'a fine steel sword', attrib: 't' })]);
    await c.command('wield sword', 'You wield');
    expect(await c.waitGmcp('Char.Status', (d) => d.wielded !== null)).toMatchObject({ wielded: 'a fine steel sword', carrying: 1 });
    c.gmcp.length = 0;
    c.sendGmcp('Core.Ping');
    await c.waitGmcp('Core.Ping');
    c.close();
  });

  it('gmcp - Comm.Channel.Text carries says and emotes, only to clients that asked for Comm; plain clients get none', async () => {
    const chat = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await chat.until(() => chat.agreed.has(GMCP), 'GMCP agreed');
    chat.sendGmcp('Core.Supports.Set ["Comm.Channel 1"]');
    const mapperOnly = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await mapperOnly.until(() => mapperOnly.agreed.has(GMCP), 'GMCP agreed');
    mapperOnly.sendGmcp('Core.Supports.Set ["Room 1"]');
    const plain = await login(server.telnetPort, 'gmcpplain', {});
    await chat.waitText('By what name');
    await chat.command('create gmcpchat secret', 'Mystical Plaza');
    await mapperOnly.waitText('By what name');
    await mapperOnly.command('create gmcpmap secret', 'Mystical Plaza');
    await plain.command('say hello, mappers', 'You say');
    expect(await chat.waitGmcp('Comm.Channel.Text')).toEqual({ channel: 'say', talker: 'Gmcpplain', text: 'Gmcpplain says, "hello, mappers"' });
    await plain.command(':waves', 'Gmcpplain waves');
    expect(await chat.waitGmcp('Comm.Channel.Text', (d) => d.channel === 'emote')).toEqual({ channel: 'emote', talker: 'Gmcpplain', text: 'Gmcpplain waves' });
    await mapperOnly.waitText('Gmcpplain waves');
    expect(mapperOnly.gmcp.map((m) => m.pkg)).toContain('Room.Info');
    expect(mapperOnly.gmcp.map((m) => m.pkg).filter((p) => !p.startsWith('Room.') && !p.startsWith('Core.'))).toEqual([]);
    expect(chat.gmcp.some((m) => m.pkg === 'Room.Info')).toBe(false);
    expect(plain.stream.some((b) => b.includes(Buffer.from([255, 250, GMCP])))).toBe(false);
    for (const c of [chat, mapperOnly, plain]) c.close();
  });

  it('gmcp - a mapper joining plain players gets the room data their turns build from then on (Room.AddPlayer, Room.RemovePlayer)', async () => {
    const walker = await login(server.telnetPort, 'gmcpwalker', {});
    await walker.command('north', 'Old Library');
    const mapper = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await mapper.until(() => mapper.agreed.has(GMCP), 'GMCP agreed');
    mapper.sendGmcp('Core.Supports.Set ["Room 1"]');
    await mapper.waitText('By what name');
    await mapper.command('create gmcpmapper secret', 'Mystical Plaza');
    expect(await mapper.waitGmcp('Room.Players')).toEqual(expect.arrayContaining([{ name: 'gmcpmapper', fullname: 'Gmcpmapper' }]));
    // The walker's turns run for a plain client, yet build the data now that a client here takes it.
    await walker.command('south', 'Mystical Plaza');
    expect(await mapper.waitGmcp('Room.AddPlayer')).toEqual({ name: 'gmcpwalker', fullname: 'Gmcpwalker' });
    await walker.command('north', 'Old Library');
    expect(await mapper.waitGmcp('Room.RemovePlayer')).toBe('gmcpwalker');
    for (const c of [walker, mapper]) c.close();
  });

  it('gmcp - malformed messages and an oversized one change nothing; the client plays on', async () => {
    const c = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await c.until(() => c.agreed.has(GMCP), 'GMCP agreed');
    c.sendGmcp('Core.Supports.Set ["Room 1"');
    c.sendGmcp('Core.Supports.Set {"not": "a list"}');
    c.sendGmcp(`Core.Supports.Add ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `Pkg${i} 1`))}`);
    c.sendGmcp('Core.Hello 42');
    await c.waitText('By what name');
    await c.command('create gmcpbad secret', 'Mystical Plaza');
    await c.command('look', 'Exits:');
    expect(c.gmcp.filter((m) => !m.pkg.startsWith('Core.'))).toEqual([]); // no package was ever enabled
    c.sendGmcp('Core.Supports.Set ["Room 1"]');
    await c.command('look', 'Exits:');
    expect(await c.waitGmcp('Room.Info')).toMatchObject({ name: 'The Mystical Plaza' });
    c.close();
  });

  it('banner - wrapped at the client\'s own width: at 50 columns no line is longer and no word is split', async () => {
    const narrow = await RawTelnet.open(server.telnetPort, { width: 50 });
    await narrow.waitText('By what name shall you be known?');
    const banner = narrow.text.slice(0, narrow.text.indexOf('By what name'));
    const lines = banner.replace(/\r/g, '').split('\n');
    expect(lines.filter((l) => l.length > 50)).toEqual([]);
    expect(banner.replace(/\s+/g, ' ')).toContain('New here? Type a name you would like to be known by, or "guest" to look around.');
    // Wrapped once, at 50: the line before a wrap is filled (no ragged pre-wrapped 76-column lines).
    expect(lines.some((l) => l.length >= 40)).toBe(true);
    narrow.close();
  });

  it('mssp - a crawler gets NAME, PLAYERS, UPTIME and the protocols', async () => {
    const crawler = await RawTelnet.open(server.telnetPort, { mssp: true });
    await crawler.until(() => crawler.mssp !== undefined, 'MSSP');
    expect(crawler.mssp).toMatchObject({ NAME: 'The Lantern Quarter', CODEBASE: expect.stringMatching(/^lattice-mud/), GMCP: '1', MCCP: '1', ANSI: '1', 'UTF-8': '1' });
    expect(crawler.mssp!.PLAYERS).toMatch(/^\d+$/);
    expect(Number(crawler.mssp!.UPTIME)).toBeGreaterThan(1_600_000_000);
    expect(crawler.mssp!.PORT).toBe(String(server.telnetPort));
    // The world's size as listings read it (8 rooms in 2 areas, 4 creatures in the shipped world).
    expect(crawler.mssp).toMatchObject({ AREAS: '2', ROOMS: '8', MOBILES: expect.stringMatching(/^[1-9]\d*$/), HOSTNAME: 'mud.example.org', CONTACT: 'ops@example.org', CREATED: '2026' });
    expect(crawler.mssp!.WEBSITE).toBeUndefined(); // not given: left out, not sent empty
    crawler.close();
  });

  it('mccp2 - the inflated stream is byte for byte what a plain session of the same commands receives', async () => {
    // The plaza greets newcomers with a random line: play in the armory, where nothing is left to chance.
    const setup = await login(server.telnetPort, 'zipper', {});
    await setup.command('east', 'The Old Armory');
    await setup.command('quit', 'Farewell');
    const script = ['look', 'help', 'look chest', 'look west', 'who', 'inventory', 'help config'];
    const session = async (mccp: boolean): Promise<{ bytes: Buffer; c: RawTelnet }> => {
      const c = await login(server.telnetPort, 'zipper', { mccp }, 'connect');
      for (const line of script) await c.command(line, '\u0007');
      await c.command('quit', 'Farewell');
      await c.until(() => c.closed, 'close');
      const bytes = Buffer.concat(c.stream);
      return { bytes: bytes.subarray(bytes.indexOf('Welcome')), c };
    };
    const zipped = await session(true);
    const plain = await session(false);
    expect(zipped.c.compressedBytes).toBeGreaterThan(0);
    expect(zipped.c.mccpEnded).toBe(true); // the server finished the zlib stream before it closed, as MCCP2 asks
    expect(zipped.c.agreed.has(MCCP2)).toBe(true);
    expect(plain.c.compressedBytes).toBe(0);
    expect(zipped.bytes.length).toBeGreaterThan(1000);
    expect(zipped.bytes.toString('latin1')).toBe(plain.bytes.toString('latin1'));
    expect(zipped.c.compressedBytes).toBeLessThan(zipped.bytes.length);
  });

  it('mccp2 - DONT MCCP2 mid-session finishes the zlib stream and the game carries on in plain text', async () => {
    const c = await login(server.telnetPort, 'unzipper', { mccp: true });
    await c.command('look', 'Exits:');
    expect(c.compressed).toBe(true);
    c.socket.write(Buffer.from([255, 254, MCCP2])); // IAC DONT MCCP2
    await c.until(() => c.mccpEnded, 'the end of the compressed stream');
    const compressed = c.compressedBytes;
    expect(await c.command('look', 'Exits:')).toContain('The Mystical Plaza');
    expect(c.compressedBytes).toBe(compressed); // nothing more went through zlib
    c.close();
  });

  it('naws - text is wrapped to 40 columns, and to 120 as soon as the window grows', async () => {
    const c = await login(server.telnetPort, 'narrow', { width: 40 });
    const narrow = visibleLines(await c.command('look', '\u0007'));
    expect(Math.max(...narrow.map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(narrow.length).toBeGreaterThan(6);
    c.sendNaws(120);
    const wide = visibleLines(await c.command('look', '\u0007'));
    expect(Math.max(...wide.map((l) => l.length))).toBeLessThanOrEqual(120);
    expect(Math.max(...wide.map((l) => l.length))).toBeGreaterThan(80);
    expect(wide.length).toBeLessThan(narrow.length);
    // Same words, only the line breaks differ.
    expect(wide.join(' ').split(/\s+/).join(' ')).toBe(narrow.join(' ').split(/\s+/).join(' '));
    c.close();
  });

  it('colour - by TTYPE and MTTS: 256 colours, 16 colours, none for an unknown client, none for a screen reader prompt', async () => {
    const xterm = await login(server.telnetPort, 'xterm', { ttypes: ['XTERM-256COLOR'] });
    expect(await xterm.command('look', '\u0007')).toContain(`${ESC}[1;38;5;81mThe Mystical Plaza${ESC}[0m`);
    const tintin = await login(server.telnetPort, 'tintin', { ttypes: ['TINTIN++', 'XTERM', 'MTTS 5'] });
    const sixteen = await tintin.command('look', '\u0007');
    expect(sixteen).toContain(`${ESC}[1;36mThe Mystical Plaza${ESC}[0m`);
    expect(sixteen).toMatch(new RegExp(`Exits: ${ESC}\\[32mnorth${ESC}\\[0m, `));
    const bare = await login(server.telnetPort, 'bare', {});
    const plain = await bare.command('look', '\u0007');
    expect(plain).toMatch(/^The Mystical Plaza\r\n/);
    expect(plain).not.toContain(ESC);
    const reader = await login(server.telnetPort, 'reader', { ttypes: ['MUDLET', 'ANSI-256COLOR', 'MTTS 69'] });
    const spoken = await reader.command('look', '\u0007');
    expect(spoken).toMatch(/Exits: .*north/);
    expect(spoken).toMatch(/\r\n\u0007$/); // no "> " before the prompt mark
    for (const c of [xterm, tintin, bare, reader]) c.close();
  });

  it('colour - config color off|on|256 switches at once, persists across logins, and bad values change nothing', async () => {
    const c = await login(server.telnetPort, 'painter', { ttypes: ['XTERM'] });
    expect(await c.command('look', '\u0007')).toContain(ESC);
    expect(await c.command('config color purple', '\u0007')).toMatch(/color can be auto, on, off, 256; not "purple"\./);
    expect(await c.command('look', '\u0007')).toContain(`${ESC}[1;36m`);
    expect(await c.command('config color off', '\u0007')).toMatch(/Saved\. Settings: color off/);
    expect(await c.command('look', '\u0007')).not.toContain(ESC);
    c.send('quit');
    await c.until(() => c.closed, 'close');
    const again = await login(server.telnetPort, 'painter', { ttypes: ['XTERM'] }, 'connect');
    expect(await again.command('look', '\u0007')).not.toContain(ESC);
    await again.command('config color 256', 'Saved');
    expect(await again.command('look', '\u0007')).toContain(`${ESC}[1;38;5;81m`);
    again.close();
  });

  it('colour - player-typed markup and escape codes reach others as plain text', async () => {
    const speaker = await login(server.telnetPort, 'speaker', { ttypes: ['XTERM'] });
    const listener = await login(server.telnetPort, 'listener', { ttypes: ['XTERM'] });
    speaker.socket.write(`say {red}red{/} \u001b[31mred\u0001R\u0002\r\n`);
    await listener.waitText('Speaker says');
    await listener.until(() => /Speaker says, "[^\n]*\n/.test(listener.text), 'the whole line');
    const line = /(\u001b\[36m)?Speaker says, "[^\n]*\n/.exec(listener.text)![0];
    expect(line).toContain('{red}red{/} [31mredR"');
    expect(line.match(/\u001b\[[0-9;]*m/g)).toEqual([`${ESC}[36m`, `${ESC}[0m`]); // only the say style
    speaker.close();
    listener.close();
  });
});
