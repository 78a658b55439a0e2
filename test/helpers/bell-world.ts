import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelnetClient } from '../../portal/telnet/telnet-client.js';

/** A one-room world whose bell is a builder script on timers: `say ring N`
 *  sets a timer N ms ahead, `say hush` cancels the last one, `say count` tells
 *  how many chimes fired and how many fired before they were due. */
export const BELL_WORLD = `
world: { name: Belfry, start: tower }
rooms:
  tower:
    name: The Bell Tower
    description: A bell hangs above you.
    exits: { down: yard }
    script: |
      function say(state, msg, ctx) {
        const words = msg.text.split(' ');
        if (words[0] === 'ring') {
          const ms = Number(words[1]);
          const id = ctx.after(ms, { type: 'chime', due: ctx.now() + ms });
          return { ...state, last: id, set: (state.set || 0) + 1 };
        }
        if (words[0] === 'hush') {
          ctx.cancel(state.last);
          return state;
        }
        if (words[0] === 'count') ctx.tell(ctx.actor, 'chimes=' + (state.chimes || 0) + ' early=' + (state.early || 0));
      }
      function chime(state, msg, ctx) {
        ctx.tellRoom(ctx.self, 'The bell chimes.');
        return { ...state, chimes: (state.chimes || 0) + 1, early: (state.early || 0) + (ctx.now() < msg.due ? 1 : 0) };
      }
  yard:
    name: The Yard
    description: Cobbles.
    exits: { up: tower }
`;

/** Writes the bell world to a fresh temporary directory and returns it. */
export async function bellWorldDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mud-bell-'));
  await mkdir(join(dir, 'world'));
  await writeFile(join(dir, 'world', 'world.yaml'), BELL_WORLD);
  return join(dir, 'world');
}

/** The bell's count, as `chimes=N early=M`. */
export async function chimes(c: TelnetClient): Promise<string> {
  return /chimes=\d+ early=\d+/.exec(await c.command('say count'))?.[0] ?? 'no count';
}
