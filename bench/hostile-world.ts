// The default world with a hostile builder's cellar under the plaza, for the
// attack run (bench/attacks.ts): sixty stones whose scripts, once woken, each
// run a self-rescheduling `ctx.after(0)` chain returning a state just under
// the size limit on every fire, within every documented limit (issue 25, item 5).
// Inert until someone says `storm` in the cellar; `calm` stops them, and each
// stone says how often it fired.

import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { DEFAULT_WORLD } from '../support/paths.js';
import { MAX_STATE_CHARS } from '../world/scripts/script-effects.js';

export const STORM_STONES = 60;
export const STORM_ROOM = 'storm_cellar';
/** The way down to it from the plaza, where players start. */
export const STORM_EXIT = 'down';

const ROOM_SCRIPT = `
function say(state, msg, ctx) {
  const type = msg.text === 'storm' ? 'wake' : msg.text === 'calm' ? 'calm' : null;
  if (type) for (const { ref } of ctx.here.contents) ctx.send(ref, { type });
}`;

/** Each fire returns a new state of about the largest size allowed (a counter and a blob). */
const STONE_SCRIPT = `
const BLOB = ${MAX_STATE_CHARS - 1024};
function wake(state, msg, ctx) { return { n: 0, blob: 'x'.repeat(BLOB), t: ctx.after(0, { type: 'tick' }) }; }
function tick(state, msg, ctx) { return { n: (state.n || 0) + 1, blob: state.blob, t: ctx.after(0, { type: 'tick' }) }; }
function calm(state, msg, ctx) {
  if (state.t) ctx.cancel(state.t);
  ctx.tellRoom(msg.room, 'A stone falls silent after ' + (state.n || 0) + ' fires.');
  return { n: state.n || 0, t: null };
}`;

/** Writes the hostile copy to a fresh temporary directory; returns the world's path. */
export async function hostileWorldDir(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'mud-hostile-')), 'world');
  await cp(DEFAULT_WORLD, dir, { recursive: true });
  const plazaFile = join(dir, 'rooms', 'plaza.yaml');
  const plaza = parseDocument(await readFile(plazaFile, 'utf8'));
  plaza.setIn(['rooms', 'mystical_plaza', 'exits', STORM_EXIT], STORM_ROOM);
  await writeFile(plazaFile, plaza.toString());
  const stones = Array.from({ length: STORM_STONES }, (_, i) => `storm_stone_${i}`);
  const room = {
    rooms: {
      [STORM_ROOM]: {
        name: 'The Storm Cellar', description: 'A low cellar full of humming stones.', exits: { up: 'mystical_plaza' },
        items: stones, script: '../scripts/storm_cellar.js',
      },
    },
  };
  const items = { items: Object.fromEntries(stones.map((id) => [id, { kind: 'item', name: 'a humming stone', description: 'It hums.', script: '../scripts/storm_stone.js' }])) };
  await writeFile(join(dir, 'scripts', 'storm_cellar.js'), ROOM_SCRIPT);
  await writeFile(join(dir, 'scripts', 'storm_stone.js'), STONE_SCRIPT);
  await writeFile(join(dir, 'rooms', 'storm.yaml'), JSON.stringify(room, null, 2));
  await writeFile(join(dir, 'items', 'storm.yaml'), JSON.stringify(items, null, 2));
  return dir;
}
