// clients: the cost of what MUD clients negotiate. Guests gather in the plaza
// and one of them emotes; every other guest receives each line. Run twice on
// fresh servers: every guest on plain telnet, then half the guests as Mudlet
// would connect (GMCP with Char/Room/Comm, MCCP2, 256 colours, NAWS). Reported:
// the server's CPU per delivered line in each run, bytes on the wire per
// delivered line (plain vs compressed), and zlib memory per MCCP2 session.

import { createDeflate, constants } from 'node:zlib';
import { MCCP_ZLIB } from '../portal/telnet/mccp.js';
import { GMCP, MCCP2 } from '../portal/telnet/telnet-options.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';
import { benchWorldDir } from './bench-world.js';
import { BOT_PASSWORD, botName, closeAll, inPool, loginBots } from './bots.js';
import { startForMode } from './server-process.js';
import type { BenchMode, BenchOptions, Scenario } from './scenario.js';

const MUDLET = { gmcp: true, mccp: true, width: 100, ttypes: ['MUDLET', 'XTERM-256COLOR', 'MTTS 271'] };

interface Run {
  cpuMicrosPerLine: number;
  plainBytesPerLine: number;
  richBytesPerLine: number;
  lines: number;
}

async function party(guests: number, rich: number, emotes: number, opts: BenchOptions, label: string): Promise<Run> {
  const server = await startForMode('in-process', { world: await benchWorldDir('default'), nodes: 0, shardCapacity: 0, profileDir: opts.profileDir });
  const plainCount = guests - rich;
  const richClients: RawTelnet[] = [];
  let plain: Awaited<ReturnType<typeof loginBots>> = [];
  try {
    opts.progress(`clients ${label}: ${plainCount} plain and ${rich} GMCP+MCCP2 guests arriving`);
    plain = await loginBots(server.telnetPort, plainCount, { concurrency: 25 });
    await inPool(rich, 25, async (i) => {
      const c = await RawTelnet.open(server.telnetPort, MUDLET);
      richClients[i] = c;
      await c.until(() => c.agreed.has(GMCP) && c.agreed.has(MCCP2), 'GMCP and MCCP2', 30_000);
      c.sendGmcp('Core.Supports.Set ["Char 1", "Char.Items 1", "Room 1", "Comm.Channel 1"]');
      await c.waitText('By what name');
      await c.command(`create ${botName(plainCount + i)} ${BOT_PASSWORD}`, /Welcome[^\u0007]*\u0007/);
    });
    const speaker = plain[0]!;
    const richBefore = richClients.reduce((a, c) => a + c.compressedBytes, 0);
    const plainBefore = plain.slice(1).reduce((a, c) => a + c.socket.bytesRead, 0);
    for (const c of plain) c.drain();
    const cpuBefore = await server.cpuMicros();
    for (let i = 0; i < emotes; i++) await speaker.command(`:dances a little jig, number ${i}, to the tune of the fountain`);
    const last = `number ${emotes - 1},`;
    await Promise.all([...plain.slice(1).map((c) => c.waitFor(last, 60_000)), ...richClients.map((c) => c.waitText(last))]);
    const cpu = (await server.cpuMicros()) - cpuBefore;
    const lines = emotes * (guests - 1);
    return {
      cpuMicrosPerLine: cpu / lines,
      plainBytesPerLine: (plain.slice(1).reduce((a, c) => a + c.socket.bytesRead, 0) - plainBefore) / (emotes * (plainCount - 1)),
      richBytesPerLine: rich ? (richClients.reduce((a, c) => a + c.compressedBytes, 0) - richBefore) / (emotes * rich) : 0,
      lines,
    };
  } finally {
    closeAll(plain);
    for (const c of richClients) c?.close();
    await server.stop();
  }
}

/** Resident memory per deflate stream with these settings, from `count` live streams that have each compressed some text. */
async function zlibBytesPerStream(options: object, count: number): Promise<number> {
  const text = Buffer.from('The Mystical Plaza\r\nCobblestones worn smooth by a thousand years of wandering feet. '.repeat(40));
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  const streams = Array.from({ length: count }, () => createDeflate(options));
  await Promise.all(streams.map((s) => new Promise<void>((resolve) => {
    s.on('data', () => undefined);
    s.write(text);
    s.flush(constants.Z_SYNC_FLUSH, () => resolve());
  })));
  const per = (process.memoryUsage().rss - before) / count;
  for (const s of streams) s.destroy();
  return per;
}

export const clients: Scenario = {
  name: 'clients',
  modes: ['in-process'],
  about: 'a party with half the guests on GMCP + MCCP2 beside all plain telnet: server CPU and wire bytes per delivered line, zlib memory per session',
  async run(_mode: BenchMode, opts: BenchOptions) {
    const guests = opts.size ?? (opts.smoke ? 8 : 200);
    const emotes = opts.smoke ? 5 : Math.max(20, opts.duration * 10);
    const plain = await party(guests, 0, emotes, opts, 'all plain');
    const mixed = await party(guests, Math.floor(guests / 2), emotes, opts, 'half GMCP+MCCP2');
    const streams = opts.smoke ? 50 : 500;
    const bounded = await zlibBytesPerStream(MCCP_ZLIB, streams);
    const defaults = await zlibBytesPerStream({}, streams);
    return {
      metrics: {
        plainCpuMicrosPerLine: plain.cpuMicrosPerLine,
        mixedCpuMicrosPerLine: mixed.cpuMicrosPerLine,
        cpuRatio: mixed.cpuMicrosPerLine / plain.cpuMicrosPerLine,
        plainWireBytesPerLine: plain.plainBytesPerLine,
        mccpWireBytesPerLine: mixed.richBytesPerLine,
        zlibKiBPerSession: bounded / 1024,
        zlibDefaultKiBPerSession: defaults / 1024,
        linesPerRun: plain.lines,
      },
      targets: [
        { metric: 'zlibKiBPerSession', op: '<=', value: 128, label: 'MCCP2 memory <= 128 KiB per session' },
      ],
      setup: { guests, emotes, richGuests: Math.floor(guests / 2), zlib: `windowBits ${MCCP_ZLIB.windowBits}, memLevel ${MCCP_ZLIB.memLevel}`, dispatch: 'in-process' },
    };
  },
};
