// The hostile world of the attack run: the shipped world, copied, with a script
// on the Old Armory (east of the plaza) that a builder could write within every
// documented limit: `say storm` starts STORM_CHAINS self-rescheduling
// `ctx.after(0)` chains whose every fire returns ~60 KiB of state; `say big`
// returns 1 MiB of state; `say calm` stops the chains (the run's own cleanup).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WORLD } from '../bin/paths.js';

export const STORM_CHAINS = 60;
/** From the plaza, where the good players are, to the hostile room. */
export const HOSTILE_ROOM_EXIT = 'east';

const HOSTILE_SCRIPT = String.raw`
function say(state, msg, ctx) {
  const word = msg.text.split(' ')[0];
  if (word === 'storm') {
    for (let i = 0; i < ${STORM_CHAINS}; i++) ctx.after(0, { type: 'tick', n: i });
    return { calm: false };
  }
  if (word === 'calm') return { calm: true };
  if (word === 'big') return { calm: state.calm, big: 'x'.repeat(1 << 20) };
}
function tick(state, msg, ctx) {
  if (state.calm) return;
  ctx.after(0, { type: 'tick', n: msg.n });
  return { calm: false, pad: 'y'.repeat(60 * 1024 - 64) + msg.n };
}
`;

/** Writes the hostile world to a temporary folder; `remove` deletes it. */
export async function hostileWorld(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mud-hostile-'));
  const dir = join(root, 'world');
  await cp(DEFAULT_WORLD, dir, { recursive: true });
  await writeFile(join(dir, 'scripts', 'armory.js'), HOSTILE_SCRIPT);
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
}
