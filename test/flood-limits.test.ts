// Floods cost the flooder: overlong lines, endless lines, garbage telnet and
// AYT floods get the sender disconnected (with a message) or ignored, and the
// other players and the world are untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { TelnetClient } from '../net/telnet-client.js';
import { AYT, IAC, WILL, WONT } from '../net/telnet-options.js';
import { REPLY_BURST } from '../net/telnet-protocol.js';

describe('flood limits', () => {
  let server: TestServer;
  let witness: TelnetClient;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 0 });
    witness = await player(server.telnetPort, 'wendy');
  });
  afterAll(async () => {
    witness?.close();
    await server?.cleanup();
  });

  /** The witness still plays, and the world's Plaza is as it was. */
  async function othersUnharmed(): Promise<void> {
    expect(await witness.command('say still here')).toContain('You say, "still here"');
    expect(await witness.command('look')).toMatch(/The Mystical Plaza/);
  }

  it('flood - a sender of overlong lines is disconnected with a message after three', async () => {
    const c = await player(server.telnetPort, 'olga');
    for (let i = 0; i < 3; i++) c.send('say ' + 'x'.repeat(5000));
    await c.waitClosed();
    expect(c.drain()).toContain('Too many overlong lines; goodbye.');
    await othersUnharmed();
    expect(await witness.command('who')).not.toMatch(/Olga/);
  });

  it('flood - a line that never ends is cut off long before it ends', async () => {
    const c = await TelnetClient.open(server.telnetPort);
    await c.nextAnswer();
    // 64 MiB offered; the server stops reading and hangs up after a few hundred KiB.
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    while (!c.isClosed && sent < 64) {
      if (!c.socket.write(chunk)) await new Promise((r) => c.socket.once('drain', r).once('close', r));
      sent++;
    }
    await c.waitClosed();
    expect(sent).toBeLessThan(64);
    expect(c.drain()).toContain('Too many overlong lines; goodbye.');
    await othersUnharmed();
  });

  it('flood - AYT and negotiation floods get a bounded number of replies, then a hang-up', async () => {
    const c = await TelnetClient.open(server.telnetPort, '127.0.0.1', { keepRaw: true });
    await c.nextAnswer();
    const ayt = Buffer.alloc(2000 * 2);
    for (let i = 0; i < 2000; i++) ayt.set([IAC, AYT], i * 2);
    c.writeRaw(ayt);
    await c.waitClosed();
    const replies = Buffer.concat(c.raw).toString('latin1').split('[yes]').length - 1;
    expect(replies).toBeLessThanOrEqual(REPLY_BURST);

    const t = await TelnetClient.open(server.telnetPort, '127.0.0.1', { keepRaw: true });
    await t.nextAnswer();
    const toggles = Buffer.alloc(10_000 * 3);
    for (let i = 0; i < 10_000; i++) toggles.set([IAC, i % 2 ? WONT : WILL, 1], i * 3);
    t.writeRaw(toggles);
    await t.waitClosed();
    expect(Buffer.concat(t.raw).length).toBeLessThan(REPLY_BURST * 3 + 4096);
    await othersUnharmed();
  });

  it('flood - a client that floods commands and never reads is not read either; others play on', async () => {
    const c = await player(server.telnetPort, 'fred');
    c.socket.pause(); // never reads again
    const looks = Buffer.from('look\r\n'.repeat(1024 * 1024)); // 6 MiB of commands
    for (let i = 0; i < 6; i++) c.socket.write(looks);
    // The server stops reading: what it was sent piles up on the sender's side, not the server's.
    const deadline = Date.now() + 20_000;
    while (c.socket.writableLength === 0) {
      if (Date.now() > deadline) throw new Error('the server read 36 MiB of commands at once');
      await new Promise((r) => setTimeout(r, 50));
    }
    for (let i = 0; i < 5; i++) await othersUnharmed();
    // Of 36 MiB, the server (at 64 KiB/s after a 256 KiB burst) and the kernel buffers hold at most 28.
    expect(c.socket.writableLength).toBeGreaterThan(8 * 1024 * 1024);
    c.close();
  });

  it('flood - random bytes get the sender disconnected; nothing else changes', async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    console.log(`flood - random bytes: SEED=${seed}`);
    let x = seed || 1;
    const next = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
    const c = await player(server.telnetPort, 'gary');
    const bytes = Buffer.alloc(256 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = next();
    c.writeRaw(bytes);
    await c.waitClosed(20_000);
    expect(c.drain()).toMatch(/Too many (overlong lines|invalid UTF-8|telnet protocol errors); goodbye\./);
    await othersUnharmed();
  });
});
