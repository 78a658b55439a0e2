// A seeded session of the shipped plaza, turn by turn through runTurn (the path
// every dispatcher takes): visitors arrive, leave, emote and look, the clock
// moves past the plaza's visit window now and then, and every few turns the
// record comes back from a JSON round trip, as a store that does not share
// objects hands it over. What each turn said and stored is the transcript
// test/script-runtime-differential.test.ts compares with the golden one.

import { createHash } from 'node:crypto';
import { runTurn, type ObjectRecord, type TurnOutcome } from '../../world/core/turn.js';
import { mulberry32 } from '../../world/core/seeded-random.js';
import { runTurnLater } from '../../world/core/turn-later.js';
import type { Msg, WorldView } from '../../world/core/types.js';

export interface SessionStep {
  /** sha256 of the turn's effects, as JSON. */
  effects: string;
  /** sha256 of the record the turn left, as JSON. */
  record: string;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface Session { steps: SessionStep[]; said: string[]; finalRecord: string; mostGreeted: number }
const PLAZA = 'room/mystical_plaza';
/** One turn of the session to run: the plaza's record, the message, the clock. */
type TurnToRun = { record: ObjectRecord | undefined; msg: Msg; now: number };

/** The session's steps (hashed, so the golden file stays small) and, whole, what the plaza said and its last record. */
export function plazaSession(world: WorldView, seed: number, turns: number): Session {
  const session = sessionOf(seed, turns);
  let step = session.next();
  while (!step.done) step = session.next(runTurn(world, { shardCapacity: 0 }, PLAZA, step.value.record, step.value.msg, step.value.now));
  return step.value;
}

/** The same session with each hook answered later (world/core/turn-later.ts), as the homed modes run turns. */
export async function plazaSessionLater(world: WorldView, seed: number, turns: number): Promise<Session> {
  const session = sessionOf(seed, turns);
  let step = session.next();
  while (!step.done) step = session.next(await runTurnLater(world, { shardCapacity: 0 }, PLAZA, step.value.record, step.value.msg, step.value.now));
  return step.value;
}

function* sessionOf(seed: number, turns: number): Generator<TurnToRun, Session, TurnOutcome> {
  const rnd = mulberry32(seed);
  let record: ObjectRecord | undefined;
  let now = 1_700_000_000_000;
  const inside = new Set<string>();
  const steps: SessionStep[] = [];
  const said: string[] = [];
  let mostGreeted = 0;
  for (let i = 0; i < turns; i++) {
    // Mostly a second or two apart; now and then past the plaza's ten-minute visit window.
    now += rnd() < 0.004 ? 11 * 60 * 1000 : Math.floor(rnd() * 2000);
    const who = `guest${Math.floor(rnd() * 260)}`;
    const player = `player/${who}`;
    const name = who[0].toUpperCase() + who.slice(1);
    const roll = rnd();
    let msg: Msg;
    if (!inside.has(player) || roll < 0.25) {
      inside.add(player);
      msg = { id: `s${i}`, type: 'enter', player, actor: player, name, from: 'room/armory', dir: 'west' };
    } else if (roll < 0.5) {
      inside.delete(player);
      msg = { id: `s${i}`, type: 'exit', player, actor: player, name, dir: 'east', to: 'room/armory', fromDir: 'west' };
    } else if (roll < 0.8) {
      msg = { id: `s${i}`, type: 'emote', player, actor: player, text: 'waves.' };
    } else {
      msg = { id: `s${i}`, type: 'look', player, actor: player };
    }
    const out = yield { record, msg, now };
    if (out.changed) record = out.record;
    // Every seventh turn the record arrives as a store would read it back: equal, but not the same objects.
    if (record && i % 7 === 6) record = JSON.parse(JSON.stringify(record)) as ObjectRecord;
    const greeted = (record?.state as { vars?: { greeted?: object } } | undefined)?.vars?.greeted;
    mostGreeted = Math.max(mostGreeted, greeted ? Object.keys(greeted).length : 0);
    // Less what the turn wrote (the gateway's bookkeeping, which came after the golden file): what it did.
    steps.push({ effects: sha(JSON.stringify(out.effects.filter((e) => e.t !== 'wrote'))), record: sha(JSON.stringify(out.record)) });
    for (const e of out.effects) if ((e.t === 'tell' || e.t === 'tellRoom') && /fountain|pigeons|plaza|script/i.test(e.text) && !e.text.includes('\n')) said.push(`${i} ${e.t} ${e.text}`);
  }
  return { steps, said, finalRecord: JSON.stringify(record), mostGreeted };
}
