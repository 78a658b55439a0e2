// Turns whose builder hooks answer later (world/core/turn-later.ts), as the homed
// modes (in-process, actor) run them: the same transcript as turns computed at
// once, this thread free while a hook runs, and a failed hook changing nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../support/paths.js';
import { loadWorld } from '../world/files/world-loader.js';
import { World } from '../world/core/world.js';
import { runTurnLater } from '../world/core/turn-later.js';
import { runTurn, type ObjectRecord } from '../world/core/turn.js';
import { compileScript } from '../world/scripts/script-sandbox.js';
import type { Msg, ScriptHook, WorldView } from '../world/core/types.js';
import { plazaSessionLater, type SessionStep } from './helpers/plaza-session.js';

const GOLDEN = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'plaza-session.golden.json');

let world: World;
beforeAll(async () => {
  const loaded = await loadWorld(DEFAULT_WORLD);
  if (!loaded.ok) throw new Error('the default world does not load');
  // A generous budget: a call cut short by a busy machine would be a different transcript.
  world = World.create(loaded.world, { scriptTimeoutMs: 5000 });
});

const SCRIPT = `
function enter(state) { return { ...state, n: (state.n ?? 0) + 1 }; }
function emote(state) { state.n = 99; throw new Error('after changing'); }
function look(state) { state.n = 98; for (;;) {} }
function exit(state) { state.n = 97; const a = new Array(300000).fill('abcdefgh'); for (;;) a.join(','); }
`;
let hooks: Map<string, ScriptHook>;
let dispose: () => void;
beforeAll(() => {
  const compiled = compileScript({ file: 'scripts/later.js', line: 1, code: SCRIPT }, { timeoutMs: 100 });
  if (!compiled.ok) throw new Error(compiled.error.message);
  hooks = compiled.hooks;
  dispose = compiled.dispose;
});
afterAll(() => dispose?.());

/** The default world with the plaza's hooks replaced by this file's script. */
function withHooks(): WorldView {
  return { def: (ref) => world.def(ref), startRoom: world.startRoom, areas: world.areas, socials: world.socials, hook: (ref, type) => (ref === PLAZA ? hooks.get(type) : undefined) };
}
const PLAZA = 'room/mystical_plaza';
const msg = (type: string, n: number): Msg => ({ id: `l${n}`, type, player: 'player/ann', actor: 'player/ann', name: 'Ann', text: 'waves.', from: 'room/armory', dir: 'west', to: 'room/armory', fromDir: 'west' });

describe('turns with hooks answered later', () => {
  it('turn later - the plaza gives the golden transcript and records for a seeded session', async () => {
    expect(existsSync(GOLDEN)).toBe(true);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as { seed: number; turns: number; steps: SessionStep[]; said: string[]; finalRecord: string };
    const session = await plazaSessionLater(world, golden.seed, golden.turns);
    for (let i = 0; i < golden.turns; i++) expect({ turn: i, ...session.steps[i] }).toEqual({ turn: i, ...golden.steps[i] });
    expect(session.said).toEqual(golden.said);
    expect(session.finalRecord).toBe(golden.finalRecord);
  }, 120_000);

  it('turn later - a turn that calls no hook is answered at once, as runTurn answers it', () => {
    const plain: WorldView = { ...withHooks(), hook: () => undefined };
    const now = runTurn(plain, { shardCapacity: 0 }, PLAZA, undefined, msg('enter', 1), 5);
    const later = runTurnLater(plain, { shardCapacity: 0 }, PLAZA, undefined, msg('enter', 1), 5);
    expect(later).not.toBeInstanceOf(Promise);
    expect(JSON.stringify(later)).toBe(JSON.stringify(now));
  });

  it('turn later - this thread runs other work while a hook runs past its budget, and the failed hook changes nothing', async () => {
    const view = withHooks();
    const first = await runTurnLater(view, { shardCapacity: 0 }, PLAZA, undefined, msg('enter', 2), 5);
    const record = first.record as ObjectRecord;
    expect((record.state as { vars: { n: number } }).vars.n).toBe(1);
    for (const [i, type] of ['emote', 'look', 'exit'].entries()) {
      let ticks = 0;
      const ticker = setInterval(() => { ticks += 1; }, 1);
      const out = await runTurnLater(view, { shardCapacity: 0 }, PLAZA, record, msg(type, 10 + i), 6);
      clearInterval(ticker);
      // The endless loop and the long built-in ran for their budget at least (100 ms of CPU): this thread's timers fired meanwhile.
      if (type !== 'emote') expect(ticks, type).toBeGreaterThan(0);
      // The engine's own part of the turn stands; the script's state is as it was.
      expect((out.record?.state as { vars: { n: number } }).vars.n, type).toBe(1);
      expect(out.effects.some((e) => e.t === 'log' && e.level === 'error' && e.text.includes(`script ${PLAZA} ${type}`)), type).toBe(true);
    }
  }, 60_000);
});
