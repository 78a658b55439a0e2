// The attacks of issue 25 that the attack run measures: a WebSocket ping flood
// from a guest, `create <a taken name>` repeated from 20 and 40 connections of
// one address, and, from a hostile world (attack-world.ts), a timer storm and
// oversized script state set off by a player's `say`.

import WebSocket from 'ws';
import { TelnetClient } from '../net/telnet-client.js';
import { sockets, type Attack, type AttackTarget } from './attack-kinds.js';
import { HOSTILE_ROOM_EXIT, STORM_CHAINS } from './attack-world.js';

const PING_PAYLOAD = Buffer.alloc(125, 0x70);
/** The attacker's own send buffer: past this it waits for the server to read, as a real flooder's kernel would make it. */
const MAX_BUFFERED = 1024 * 1024;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A telnet client from `from`, at the welcome prompt, closed with the attacker's other sockets at a stop. */
async function telnet(target: AttackTarget, from: string): Promise<TelnetClient | undefined> {
  const c = await TelnetClient.open(target.telnet, '127.0.0.1', { localAddress: from }).catch(() => undefined);
  if (!c) return undefined;
  sockets.add(c.socket);
  c.socket.once('close', () => sockets.delete(c.socket));
  try {
    await c.nextAnswer();
    return c;
  } catch {
    c.close();
    return undefined;
  }
}

/** A WebSocket guest pinging as fast as its send buffer lets it, again after every hang-up. */
const wsPingFlood: Attack = {
  name: 'ws ping flood (guest)',
  async run(target, from, stopped) {
    let pings = 0;
    let pongs = 0;
    let connections = 0;
    while (!stopped()) {
      const ws = new WebSocket(`ws://127.0.0.1:${target.http}/play`, { localAddress: from });
      const opened = await new Promise<boolean>((r) => ws.once('open', () => r(true)).once('error', () => r(false)));
      if (!opened) {
        await pause(100);
        continue;
      }
      connections++;
      const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
      sockets.add(socket);
      ws.on('pong', () => pongs++);
      ws.on('error', () => undefined);
      ws.send('guest');
      while (!stopped() && ws.readyState === WebSocket.OPEN) {
        for (let i = 0; i < 500; i++) ws.ping(PING_PAYLOAD);
        pings += 500;
        while (!stopped() && ws.readyState === WebSocket.OPEN && ws.bufferedAmount > MAX_BUFFERED) await pause(5);
        await new Promise((r) => setImmediate(r));
      }
      ws.terminate();
      sockets.delete(socket);
    }
    return `${connections} connections, ${pings} pings sent, ${pongs} answered`;
  },
};

/** `connections` clients of one address, each repeating `create victim <password>` as fast as it is answered. */
function createTaken(connections: number): Attack {
  return {
    name: `create taken x${connections}`,
    async run(target, from, stopped) {
      let taken = 0;
      const other = new Map<string, number>();
      const lane = async (lane: number) => {
        for (let n = 0; !stopped(); n++) {
          const c = await telnet(target, from);
          if (!c) {
            await pause(100);
            continue;
          }
          try {
            while (!stopped()) {
              const answer = await c.command(`create victim guess${lane}x${n}`, 30_000);
              if (/already taken/.test(answer)) taken++;
              else {
                const first = answer.split('\n')[0]!.slice(0, 60);
                other.set(first, (other.get(first) ?? 0) + 1);
              }
            }
          } catch {
            // hung up (the login timeout, a stop): the next connection goes on
          }
          c.close();
        }
      };
      await Promise.all(Array.from({ length: connections }, (_, i) => lane(i)));
      const others = [...other].map(([text, n]) => `${n}x "${text}"`).join(', ');
      return `${taken} answered "taken"${others ? `; ${others}` : ''}`;
    },
  };
}

/** Logs a character in and walks it into the hostile room; undefined if it could not. */
async function intoHostileRoom(target: AttackTarget, from: string, name: string): Promise<TelnetClient | undefined> {
  const c = await telnet(target, from);
  if (!c) return undefined;
  const login = await c.command(`create ${name} hostile`, 30_000).catch(() => '');
  if (!login.includes('Welcome') || !(await c.command(HOSTILE_ROOM_EXIT).catch(() => ''))) {
    c.close();
    return undefined;
  }
  return c;
}

/** Says `word` in the hostile room; the room's answer if any. */
const say = (c: TelnetClient, word: string) => c.command(`say ${word}`, 30_000).catch((err: Error) => err.message);

/** The hostile room's `say storm`: STORM_CHAINS self-rescheduling ctx.after(0) chains, each fire returning ~60 KiB of state. */
const timerStorm: Attack = {
  name: 'timer storm (hostile world)',
  hostileWorld: true,
  async run(target, from, stopped) {
    const c = await intoHostileRoom(target, from, 'stormer');
    if (!c) return 'could not get into the hostile room';
    await say(c, 'storm');
    while (!stopped()) await pause(100);
    const calm = await say(c, 'calm');
    c.close();
    return `${STORM_CHAINS} chains started, then calmed (${calm.includes('You say') ? 'answered' : calm.trim().slice(0, 60)})`;
  },
};

/** The hostile room's `say big`, as fast as it is answered: each returns 1 MiB of script state. */
const oversizedState: Attack = {
  name: 'oversized state (hostile world)',
  hostileWorld: true,
  async run(target, from, stopped) {
    const c = await intoHostileRoom(target, from, 'hoarder');
    if (!c) return 'could not get into the hostile room';
    let said = 0;
    const answers = new Map<string, number>();
    while (!stopped()) {
      // What the room answered besides the player's own "You say": the script's error, if it tells one.
      const extra = (await say(c, 'big')).split('\n').filter((l) => l && !l.startsWith('You say')).join(' ').slice(0, 70) || '(nothing else)';
      answers.set(extra, (answers.get(extra) ?? 0) + 1);
      said++;
    }
    c.close();
    return `${said} x 1 MiB states asked for; answers: ${[...answers].map(([a, n]) => `${n}x ${a}`).join(', ')}`;
  },
};

export const ISSUE_25_ATTACKS: Attack[] = [wsPingFlood, createTaken(20), createTaken(40), timerStorm, oversizedState];
