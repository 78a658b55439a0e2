// Floods cost the flooder: overlong lines, endless lines, garbage telnet and
// AYT floods get the sender disconnected (with a message) or ignored, and the
// other players and the world are untouched. Every kind of input costs the
// budget (issue 25, item 1): WebSocket pings and pongs and telnet commands as
// well as lines; within it a ping is answered, a flood is paused, then dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { witnessUnharmed } from './helpers/witness.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import WebSocket from 'ws';
import { AYT, DO, GMCP, IAC, SB, SE, WILL, WONT } from '../portal/telnet/telnet-options.js';
import { REPLY_BURST } from '../portal/telnet/telnet-protocol.js';

const NOP = 241;

async function guestSocket(port: number): Promise<{ ws: WebSocket; text: string[]; pongs: () => number; closed: Promise<void> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/play`);
  const text: string[] = [];
  let pongs = 0;
  ws.on('message', (d) => text.push(d.toString()));
  ws.on('pong', () => pongs++);
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  ws.send('guest');
  await until(() => text.some((f) => /You are a guest/.test(f)), 'the guest login');
  return { ws, text, pongs: () => pongs, closed };
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

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


  it('flood - a sender of overlong lines is disconnected with a message after three', async () => {
    const c = await player(server.telnetPort, 'olga');
    for (let i = 0; i < 3; i++) c.send('say ' + 'x'.repeat(5000));
    await c.waitClosed();
    expect(c.drain()).toContain('Too many overlong lines; goodbye.');
    await witnessUnharmed(witness);
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
    await witnessUnharmed(witness);
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
    await witnessUnharmed(witness);
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
    for (let i = 0; i < 5; i++) await witnessUnharmed(witness);
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
    await witnessUnharmed(witness);
  });

  it('ws ping - a ping within the budget is answered with its payload', async () => {
    const g = await guestSocket(server.httpPort);
    const payload = await new Promise<string>((r) => {
      g.ws.once('pong', (d) => r(d.toString()));
      g.ws.ping('are you there');
    });
    expect(payload).toBe('are you there');
    g.ws.close();
  });

  it('ws ping - a guest flooding pings gets a bounded number of pongs, is dropped, and others play on', async () => {
    const g = await guestSocket(server.httpPort);
    for (let i = 0; i < 20_000 && g.ws.readyState === WebSocket.OPEN; i++) g.ws.ping();
    await g.closed;
    // The burst (2 s of 50/s) is answered; beyond it nothing, then the goodbye.
    expect(g.pongs()).toBeLessThanOrEqual(110);
    expect(g.text.join('')).toContain('You are sending too much, too fast; goodbye.');
    await witnessUnharmed(witness);
  });

  it('ws pong - unasked pongs cost the budget too', async () => {
    const g = await guestSocket(server.httpPort);
    for (let i = 0; i < 20_000 && g.ws.readyState === WebSocket.OPEN; i++) g.ws.pong();
    await g.closed;
    expect(g.text.join('')).toContain('You are sending too much, too fast; goodbye.');
    await witnessUnharmed(witness);
  });

  it('telnet NOP - a flood of commands that ask for no reply is dropped all the same', async () => {
    const c = await player(server.telnetPort, 'nora');
    const nops = Buffer.alloc(20_000 * 2);
    for (let i = 0; i < 20_000; i++) nops.set([IAC, NOP], i * 2);
    c.writeRaw(nops);
    await c.waitClosed();
    expect(c.drain()).toContain('You are sending too much, too fast; goodbye.');
    await witnessUnharmed(witness);
    expect(await witness.command('who')).not.toMatch(/Nora/);
  });

  it('telnet GMCP - Core.Ping floods are answered within the budget only, then dropped', async () => {
    const c = await TelnetClient.open(server.telnetPort, '127.0.0.1', { keepRaw: true });
    await c.nextAnswer();
    const ping = Buffer.concat([Buffer.from([IAC, SB, GMCP]), Buffer.from('Core.Ping'), Buffer.from([IAC, SE])]);
    // The client's DONT to the server's WILL GMCP, taken back: GMCP on.
    c.writeRaw(Buffer.concat([Buffer.from([IAC, DO, GMCP]), ...Array.from({ length: 5000 }, () => ping)]));
    await c.waitClosed();
    const answers = Buffer.concat(c.raw).toString('latin1').split('Core.Ping').length - 1;
    expect(answers).toBeGreaterThan(0);
    expect(answers).toBeLessThanOrEqual(110);
    await witnessUnharmed(witness);
  });
});
