// The script runtime - the plaza's shipped script gives byte-identical
// transcripts and records under the runtime of issue 29 (state kept in the VM,
// only changed keys marshalled) and the one before it (whole state in and out
// as JSON, top level run afresh on every call). The golden file was written by
// the old runtime, with PLAZA_GOLDEN_WRITE=1 (which writes instead of comparing).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../support/paths.js';
import { loadWorld } from '../world/files/world-loader.js';
import { World } from '../world/core/world.js';
import { plazaSession, type SessionStep } from './helpers/plaza-session.js';

const GOLDEN = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'plaza-session.golden.json');
const SEED = 29;
const TURNS = 1500;

let world: World;
beforeAll(async () => {
  const loaded = await loadWorld(DEFAULT_WORLD);
  if (!loaded.ok) throw new Error('the default world does not load');
  // A generous budget: a call cut short by a busy machine would be a different transcript.
  world = World.create(loaded.world, { scriptTimeoutMs: 5000 });
});

describe('script runtime', () => {
  it('script runtime - the plaza gives the golden transcript and records for a seeded session', () => {
    const session = plazaSession(world, SEED, TURNS);
    if (process.env.PLAZA_GOLDEN_WRITE === '1' || !existsSync(GOLDEN)) {
      expect(process.env.PLAZA_GOLDEN_WRITE, `${GOLDEN} is missing: write it with PLAZA_GOLDEN_WRITE=1 on the runtime it must match`).toBe('1');
      const { steps, said, finalRecord } = session;
      writeFileSync(GOLDEN, `${JSON.stringify({ seed: SEED, turns: TURNS, steps, said, finalRecord })}\n`);
      return;
    }
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as { seed: number; turns: number; steps: SessionStep[]; said: string[]; finalRecord: string };
    expect([golden.seed, golden.turns]).toEqual([SEED, TURNS]);
    for (let i = 0; i < TURNS; i++) {
      // Turn by turn, so a difference names the first turn that differs.
      expect({ turn: i, ...session.steps[i] }).toEqual({ turn: i, ...golden.steps[i] });
    }
    expect(session.said).toEqual(golden.said);
    expect(session.finalRecord).toBe(golden.finalRecord);
    // The session exercised what matters: greetings, the murmur, the pigeons, a full memory of visitors.
    const said = session.said.join('\n');
    for (const line of ['The fountain is in a', 'safe travels', 'pigeons burst']) expect(said).toContain(line);
    expect(session.mostGreeted).toBe(200);
  });
});
