// CHARSET (RFC 2066) end to end over real sockets: the server asks for UTF-8 once the client agrees; an
// accepting client reads UTF-8 even when its terminal type said otherwise, a refusing one reads ASCII; a
// client's own request is accepted when it lists UTF-8 and refused when it does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { RawTelnet, type RawTelnetOptions } from '../portal/telnet/raw-telnet.js';
import { CHARSET } from '../portal/telnet/charset.js';

/** MTTS 9: ANSI and VT100, and not UTF-8 (its flag is 4). */
const NO_UTF8_TTYPES = ['MUDLET', 'XTERM', 'MTTS 9'];

async function login(port: number, name: string, opts: RawTelnetOptions): Promise<RawTelnet> {
  const c = await RawTelnet.open(port, opts);
  await c.waitText('By what name');
  await c.command(`create ${name} secret`, '\u0007');
  await c.until(() => /Welcome[^\u0007]*\u0007/.test(c.text), 'the first game prompt');
  return c;
}

/** The bytes of everything said after `from` (RawTelnet keeps text a byte per character). */
const bytesOf = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('telnet CHARSET', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('a client that accepts UTF-8 reads it, though its MTTS flags said it could not', async () => {
    const c = await login(server.telnetPort, 'charseta', { charset: 'accept', ttypes: NO_UTF8_TTYPES });
    expect(c.agreed.has(CHARSET)).toBe(true);
    expect(c.charsets.map((m) => m.toString('latin1'))).toEqual(['\u0001;UTF-8']);
    const said = await c.command('say café', 'You say');
    expect(bytesOf(said).includes(Buffer.from('café', 'utf8'))).toBe(true);
    expect(await c.command('config', 'CHARSET')).toContain('CHARSET UTF-8');
    c.close();
  });

  it('a client that refuses UTF-8 gets ASCII, though nothing else asked for it', async () => {
    const c = await login(server.telnetPort, 'charsetb', { charset: 'reject' });
    const said = await c.command('say café', 'You say');
    expect(said).toContain('cafe');
    expect([...bytesOf(said)].every((b) => b < 0x80 || b === 0xff)).toBe(true);
    expect(await c.command('config', 'CHARSET')).toContain('CHARSET refused: ASCII');
    c.close();
  });

  it('without CHARSET nothing changes: the terminal type decides, as before', async () => {
    const c = await login(server.telnetPort, 'charsetc', { ttypes: NO_UTF8_TTYPES });
    expect(c.agreed.has(CHARSET)).toBe(false);
    expect(c.charsets).toEqual([]);
    expect(await c.command('say café', 'You say')).toContain('cafe');
    c.close();
  });

  it('a request of the client: refused without UTF-8 on its list, accepted with it (any case, any separator)', async () => {
    const c = await login(server.telnetPort, 'charsetd', { charset: 'accept', ttypes: NO_UTF8_TTYPES });
    c.charsets.length = 0;
    c.sendCharset(1, ';ISO-8859-1;US-ASCII');
    await c.until(() => c.charsets.length === 1, 'the answer to a request without UTF-8');
    expect(c.charsets[0]!.toString('latin1')).toBe('\u0003');
    c.sendCharset(1, ' KOI8-R utf8');
    await c.until(() => c.charsets.length === 2, 'the answer to a request with UTF-8');
    expect(c.charsets[1]!.toString('latin1')).toBe('\u0002UTF-8');
    const said = await c.command('say naïve', 'You say');
    expect(bytesOf(said).includes(Buffer.from('naïve', 'utf8'))).toBe(true);
    c.close();
  });

  it('a translation table is refused, and a broken request is refused and costs nothing else', async () => {
    const c = await login(server.telnetPort, 'charsete', { charset: 'accept' });
    c.charsets.length = 0;
    c.sendCharset(4, '\u0001garbage');
    await c.until(() => c.charsets.length === 1, 'the answer to TTABLE-IS');
    expect(c.charsets[0]![0]).toBe(5);
    c.sendCharset(1, '');
    await c.until(() => c.charsets.length === 2, 'the answer to an empty request');
    expect(c.charsets[1]![0]).toBe(3);
    expect(await c.command('look', 'The Mystical Plaza')).toContain('The Mystical Plaza');
    c.close();
  });
});
