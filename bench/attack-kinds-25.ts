// The attacks of issue 25 that the attack run measures: a WebSocket ping flood
// from a guest, `create <a taken name>` repeated from 20 and 40 connections of
// one address, and a timer storm from the hostile world's cellar (hostile-world.ts).

import WebSocket from 'ws';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { sockets, type Attack, type AttackTarget } from './attack-kinds.js';
import { STORM_EXIT, STORM_STONES } from './hostile-world.js';

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

/** A hostile builder's world (bench/hostile-world.ts): a player wakes sixty stones whose scripts
 *  each chain ctx.after(0) with a state near the size limit; what the others feel is the turns and writes.
 *  Its connection is not among the attacker's sockets: after the stop it still says `calm`. */
const timerStorm: Attack = {
  name: 'timer storm, 60 chains',
  async run(target, from, stopped) {
    const c = await TelnetClient.open(target.telnet, '127.0.0.1', { localAddress: from });
    await c.nextAnswer();
    await c.command('create stormer stormpass');
    await c.command(`${STORM_EXIT}`);
    await c.command('say storm');
    const started = performance.now();
    while (!stopped()) await pause(100); // idle until the run ends
    const seconds = (performance.now() - started) / 1000;
    c.drain();
    c.send('say calm');
    let told = '';
    const deadline = performance.now() + 8000;
    while ((told.match(/falls silent/g)?.length ?? 0) < STORM_STONES && performance.now() < deadline) {
      await pause(50); // polling what the stones said
      told += c.drain();
    }
    const fires = [...told.matchAll(/after (\d+) fires/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    c.close();
    return `${fires} timer fires in ${Math.round(seconds)} s (${Math.round(fires / seconds)}/s over ${STORM_STONES} stones)`;
  },
};

/** `players` guests of one address in the hostile cellar, each saying `hoard` as fast as it is answered: the
 *  cellar's script builds a state past the size limit every time (item 5's oversized state), which the
 *  script's context refuses; what the others feel is the script calls. */
function oversizedState(players: number): Attack {
  return {
    name: `oversized state x${players}`,
    async run(target, from, stopped) {
      let said = 0;
      let refused = 0;
      let tooFast = 0;
      const lane = async () => {
        const c = await telnet(target, from);
        if (!c) return;
        try {
          await c.command('guest');
          await c.command(STORM_EXIT);
          while (!stopped()) {
            const answer = await c.command('say hoard');
            // A `say` that ran echoes it, or fails in the script; the per-player command limit answers
            // the excess at once with a prompt (a warning at most once a second): those never ran.
            // (Other lines in an answer are the other guests' says.)
            if (/You say|Something went wrong|too large|paused/.test(answer)) said++;
            else tooFast++;
            if (/too large|script failed/i.test(answer)) refused++;
          }
        } catch {
          // hung up at the stop
        }
        c.close();
      };
      await Promise.all(Array.from({ length: players }, () => lane()));
      return `${said} hoards said${refused ? `, ${refused} told the state was too large` : ''}${tooFast ? `, ${tooFast} refused as too fast` : ''}`;
    },
  };
}

export const ISSUE_25_ATTACKS: Attack[] = [wsPingFlood, createTaken(20), createTaken(40), timerStorm, oversizedState(8)];
