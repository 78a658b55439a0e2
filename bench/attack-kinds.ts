// The attacks of issues 11 and 25, each run by attack-child.ts in a process of
// its own against the server's ports, from a loopback address of its own.

import { connect, type Socket } from 'node:net';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { AYT, DO, DONT, IAC, SB, WILL, WONT } from '../portal/telnet/telnet-options.js';

/** Where an attacker aims: the server's telnet and HTTP (WebSocket play) ports. */
export interface AttackTarget {
  telnet: number;
  http: number;
}

export interface Attack {
  name: string;
  /** Runs until `stopped()`; returns what it got done. */
  run(target: AttackTarget, from: string, stopped: () => boolean, rnd: () => number): Promise<string>;
}

const MIB = 1024 * 1024;
/** Every attacker socket, so a stop can close them all at once. */
export const sockets = new Set<Socket>();

export function open(port: number, from: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', localAddress: from }, () => resolve(s));
    sockets.add(s);
    s.once('close', () => {
      sockets.delete(s);
      reject(new Error('closed before it connected')); // a stop mid-connect (no-op once connected)
    });
    s.once('error', reject);
  });
}

/** Writes `bytes` honouring the socket's backpressure; false once the server hung up. */
async function write(s: Socket, bytes: Buffer): Promise<boolean> {
  if (s.destroyed) return false;
  if (s.write(bytes)) return true;
  await new Promise((r) => { s.once('drain', r); s.once('close', r); });
  return !s.destroyed;
}

const closed = (s: Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));

/** Connects again and again until stopped, running `session` on each socket; counts them. */
async function again(port: number, from: string, stopped: () => boolean, session: (s: Socket) => Promise<void>): Promise<{ connections: number; refused: number }> {
  let connections = 0;
  let refused = 0;
  while (!stopped()) {
    const s = await open(port, from).catch(() => undefined);
    if (!s) {
      refused++;
      continue;
    }
    s.on('error', () => undefined);
    s.on('data', () => undefined);
    connections++;
    await Promise.race([session(s), closed(s)]);
    s.destroy();
  }
  return { connections, refused };
}

/** Issue 11's table: floods of bytes, lines, telnet garbage, guesses and connections. */
export const ISSUE_11_ATTACKS: Attack[] = [
  {
    name: '1 MiB line, 64 MiB no LF',
    async run(target, from, stopped) {
      let sent = 0;
      const r = await again(target.telnet, from, stopped, async (s) => {
        const chunk = Buffer.alloc(MIB, 0x61);
        if (!(await write(s, Buffer.concat([chunk, Buffer.from('\r\n')])))) return;
        sent += MIB;
        for (let i = 0; i < 64 && !stopped(); i++) {
          if (!(await write(s, chunk))) return;
          sent += MIB;
        }
      });
      return `${r.connections} connections, ${Math.round(sent / MIB)} MiB offered before each was cut off`;
    },
  },
  {
    name: 'garbage telnet',
    async run(target, from, stopped, rnd) {
      const random = Buffer.alloc(64 * 1024);
      for (let i = 0; i < random.length; i++) random[i] = Math.floor(rnd() * 256);
      const negotiations = Buffer.alloc(100_000 * 3);
      const verbs = [WILL, WONT, DO, DONT];
      for (let i = 0; i < 100_000; i++) negotiations.set([IAC, verbs[i % 4]!, i % 40], i * 3);
      const ayt = Buffer.alloc(50_000 * 2);
      for (let i = 0; i < 50_000; i++) ayt.set([IAC, AYT], i * 2);
      const sbNoSe = Buffer.concat([Buffer.from([IAC, SB, 24]), Buffer.alloc(100_000, 0x41)]);
      const r = await again(target.telnet, from, stopped, async (s) => {
        for (const b of [random, sbNoSe, negotiations, ayt]) if (!(await write(s, b))) return;
      });
      return `${r.connections} connections, ${r.refused} refused at the door`;
    },
  },
  {
    name: 'look flood, never reads',
    async run(target, from, stopped) {
      const looks = Buffer.from('look\r\n'.repeat(10_000));
      let lines = 0;
      let n = 0;
      const r = await again(target.telnet, from, stopped, async (s) => {
        s.write(`create flooder${String.fromCharCode(97 + (n++ % 26))} floodpass\r\n`);
        s.pause(); // never reads again
        while (!stopped()) {
          if (!(await write(s, looks))) return;
          lines += 10_000;
        }
      });
      return `${r.connections} connections, ${lines} lines written into the socket`;
    },
  },
  {
    name: '500 wrong passwords',
    async run(target, from, stopped) {
      let tried = 0;
      let checked = 0;
      let throttled = 0;
      while (!stopped() && tried < 500) {
        const c = await TelnetClient.open(target.telnet, '127.0.0.1', { localAddress: from }).catch(() => undefined);
        if (!c) continue;
        try {
          await c.nextAnswer();
          for (let k = 0; k < 5 && tried < 500 && !stopped(); k++) {
            tried++;
            const a = await c.command(`connect victim wrong${tried}`);
            if (/Too many failed logins/.test(a)) throttled++;
            else checked++;
          }
        } catch {
          // disconnected: the next connection goes on
        }
        c.close();
      }
      return `${tried} tries: ${checked} passwords checked, ${throttled} refused unchecked`;
    },
  },
  {
    name: '2000 conn/s, 3000 held',
    async run(target, from, stopped) {
      let opened = 0;
      let refused = 0;
      const flood = performance.now() + 3000;
      while (!stopped() && performance.now() < flood) {
        const batch = await Promise.all(Array.from({ length: 20 }, () => open(target.telnet, from).catch(() => undefined)));
        for (const s of batch) {
          if (s) opened++;
          else refused++;
          s?.destroy();
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      const held: Socket[] = [];
      for (let i = 0; i < 3000 && !stopped(); i += 50) {
        const batch = await Promise.all(Array.from({ length: 50 }, () => open(target.telnet, from).catch(() => undefined)));
        for (const s of batch) if (s) held.push(s.on('error', () => undefined).resume()); // read, to see the server's close
      }
      // Sampled until the stop (which closes every socket): how many the server let stay open.
      let leftOpen = 0;
      await new Promise<void>((r) => {
        const t = setInterval(() => {
          if (stopped()) {
            clearInterval(t);
            r();
          } else leftOpen = held.filter((s) => !s.destroyed && !s.readableEnded).length;
        }, 50);
      });
      for (const s of held) s.destroy();
      return `${opened} accepted then dropped, ${refused} failed; of ${held.length} held, ${leftOpen} left open by the server`;
    },
  },
];
