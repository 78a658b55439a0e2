// The default world with a hostile builder's cellar under the plaza, for the
// attack run (bench/attacks.ts): sixty stones whose scripts, once woken, each
// run a self-rescheduling `ctx.after(0)` chain returning a state just under
// the size limit on every fire, within every documented limit (issue 25, item 5).
// Inert until someone says `storm` in the cellar; `calm` stops them, and each
// stone says how often it fired. `ring` rings the cellar's bell: one quiet
// script timer, to see that others' timers still fire during a storm. `hoard`
// makes the cellar's script keep a state past the size limit (refused each time).

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
  if (msg.text === 'ring') return { ...state, bell: ctx.after(0, { type: 'chime' }) };
  if (msg.text === 'hoard') return { ...state, pile: 'x'.repeat(${MAX_STATE_CHARS + 1024}) };
  const type = msg.text === 'storm' ? 'wake' : msg.text === 'calm' ? 'calm' : null;
  if (type) for (const { ref } of ctx.here.contents) ctx.send(ref, { type });
}
function chime(state, msg, ctx) {
  ctx.tellRoom(ctx.self, 'The cellar bell chimes.');
  return { ...state, bell: null };
}`;

/** Each fire returns a new state of `blob` characters and a counter (by default about the largest size allowed). */
const stoneScript = (blob: number) => `
const BLOB = ${blob};
function wake(state, msg, ctx) { return { n: 0, blob: 'x'.repeat(BLOB), t: ctx.after(0, { type: 'tick' }) }; }
function tick(state, msg, ctx) { return { n: (state.n || 0) + 1, blob: state.blob, t: ctx.after(0, { type: 'tick' }) }; }
function calm(state, msg, ctx) {
  if (state.t) ctx.cancel(state.t);
  ctx.tellRoom(msg.room, 'A stone falls silent after ' + (state.n || 0) + ' fires.');
  return { n: state.n || 0, t: null };
}`;

/** Writes the hostile copy to a fresh temporary directory; returns the world's path.
 *  `stones` and `blob` (each stone's state, in characters) make a smaller storm for a test. */
export async function hostileWorldDir(o: { stones?: number; blob?: number } = {}): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'mud-hostile-')), 'world');
  await cp(DEFAULT_WORLD, dir, { recursive: true });
  const plazaFile = join(dir, 'rooms', 'plaza.yaml');
  const plaza = parseDocument(await readFile(plazaFile, 'utf8'));
  plaza.setIn(['rooms', 'mystical_plaza', 'exits', STORM_EXIT], STORM_ROOM);
  await writeFile(plazaFile, plaza.toString());
  const stones = Array.from({ length: o.stones ?? STORM_STONES }, (_, i) => `storm_stone_${i}`);
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
  await writeFile(join(dir, 'scripts', 'storm_stone.js'), stoneScript(o.blob ?? MAX_STATE_CHARS - 1024));
  await writeFile(join(dir, 'rooms', 'storm.yaml'), JSON.stringify(room, null, 2));
  await writeFile(join(dir, 'items', 'storm.yaml'), JSON.stringify(items, null, 2));
  return dir;
}
