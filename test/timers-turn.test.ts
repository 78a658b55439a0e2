// Durable timers on the pure turn function: ids, the record, early fires, the
// limits, the rules for scripts (own object only, nothing forged), and the pace
// of an object's timers: a burst at once, then a steady rate; a fire held back
// waits without a write, and the builder's log hears of it once a minute.
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn, type ObjectRecord } from '../world/core/turn.js';
import { loadLiveWorld } from '../bin/live-world.js';
import type { World } from '../world/core/world.js';
import { bellWorldDir } from './helpers/bell-world.js';
import { MAX_TIMERS_PER_OBJECT, TIMER_BURST, TIMER_FIRES_PER_SECOND, TIMER_WARN_EVERY_MS, timersOf } from '../world/core/timers.js';
import { checkEffects } from '../world/scripts/script-effects.js';

const config = { shardCapacity: 0 };
const TOWER = 'room/tower';
let world: World;
let dir: string;
beforeAll(async () => {
  dir = await bellWorldDir();
  world = await loadLiveWorld(dir);
});
afterAll(async () => {
  await rm(dirname(dir), { recursive: true, force: true });
});

const say = (id: string, text: string) => ({ id, type: 'say', player: 'player/ann', actor: 'player/ann', text });

describe('timers in the turn', () => {
  it('timers - a timer is in the committed record and announced once; its id is the same when the turn re-runs', () => {
    const first = runTurn(world, config, TOWER, undefined, say('b-1', 'ring 500'), 1000);
    const again = runTurn(world, config, TOWER, undefined, say('b-1', 'ring 500'), 1000);
    const timers = timersOf(first.record as never);
    expect(timers).toEqual([{ id: expect.stringMatching(/^t[a-z0-9]+s1$/), due: 1500 }]);
    expect(timersOf(again.record as never)).toEqual(timers);
    expect(first.effects.filter((e) => e.t === 'timer')).toEqual([{ t: 'timer', ref: TOWER, id: timers[0].id, due: 1500 }]);
  });

  it('timers - an early fire changes nothing and is announced again; a due one runs once and leaves the record', () => {
    const set = runTurn(world, config, TOWER, undefined, say('b-2', 'ring 500'), 1000);
    const [{ id }] = timersOf(set.record as never);
    const early = runTurn(world, config, TOWER, set.record, { id, type: 'timer' }, 1499);
    expect(early).toMatchObject({ changed: false, effects: [{ t: 'timer', ref: TOWER, id, due: 1500 }] });
    const fired = runTurn(world, config, TOWER, set.record, { id, type: 'timer' }, 1500);
    expect(fired.changed).toBe(true);
    expect(fired.effects).toContainEqual({ t: 'tellRoom', room: TOWER, text: 'The bell chimes.' });
    expect(timersOf(fired.record as never)).toEqual([]);
    expect('timers' in (fired.record as ObjectRecord)).toBe(false); // no timers, no field
    const twice = runTurn(world, config, TOWER, fired.record, { id, type: 'timer' }, 1600);
    expect(twice).toMatchObject({ changed: false, duplicate: true });
    expect(twice.effects).not.toContainEqual({ t: 'tellRoom', room: TOWER, text: 'The bell chimes.' });
  });

  it('timers - a script may not forge the timer message, nor a timer id, nor set more than the limit', () => {
    const forged = runTurn(world, config, TOWER, undefined, { id: 'b-3', type: 'timer', script: true }, 0);
    expect(forged.changed).toBe(false);
    expect(checkEffects([{ t: 'after', id: 'x y', ms: 5, msg: { type: 'chime' } }])).toMatchObject({ ok: false, error: expect.stringMatching(/not a timer id/) });
    expect(checkEffects([{ t: 'after', id: 'tabcs1', ms: -5, msg: { type: 'chime' } }])).toMatchObject({ ok: false, error: expect.stringMatching(/delay/) });
    expect(checkEffects([{ t: 'after', id: 'tabcs1', ms: 5, msg: { type: 'take' } }])).toMatchObject({ ok: false, error: expect.stringMatching(/may not send 'take'/) });
    let record: ObjectRecord | undefined;
    for (let i = 0; i < MAX_TIMERS_PER_OBJECT; i++) record = runTurn(world, config, TOWER, record, say(`b-4.${i}`, 'ring 1000'), 0).record;
    const over = runTurn(world, config, TOWER, record, say('b-5', 'ring 1000'), 0);
    expect(over.effects).toContainEqual({ t: 'log', level: 'error', text: expect.stringMatching(/64 pending timers/) });
    expect(timersOf(over.record as never)).toHaveLength(MAX_TIMERS_PER_OBJECT);
  });
});

const INTERVAL = 1000 / TIMER_FIRES_PER_SECOND;
const warnings = (effects: readonly { t: string; level?: string; text?: string }[]) =>
  effects.filter((e) => e.t === 'log' && e.level === 'warn' && /fire more often than/.test(e.text ?? ''));

describe('timer pace', () => {
  it('timers - a burst fires at once, the rest one per interval; a held fire writes nothing and is told when to come back', () => {
    let record: ObjectRecord | undefined;
    for (let i = 0; i < TIMER_BURST + 3; i++) record = runTurn(world, config, TOWER, record, say(`p-1.${i}`, 'ring 0'), 0).record;
    const ids = timersOf(record as never).map((t) => t.id);
    let warned = 0;
    for (const id of ids.slice(0, TIMER_BURST)) {
      const fired = runTurn(world, config, TOWER, record, { id, type: 'timer' }, 0);
      expect(fired.effects, id).toContainEqual({ t: 'tellRoom', room: TOWER, text: 'The bell chimes.' });
      warned += warnings(fired.effects).length;
      record = fired.record;
    }
    expect(warned).toBe(1); // the burst's last fire: the next will wait
    const held = runTurn(world, config, TOWER, record, { id: ids[TIMER_BURST], type: 'timer' }, 0);
    expect(held).toMatchObject({ changed: false, effects: [{ t: 'timer', ref: TOWER, id: ids[TIMER_BURST], due: INTERVAL }] });
    expect(held.record).toBe(record);
    const next = runTurn(world, config, TOWER, record, { id: ids[TIMER_BURST], type: 'timer' }, INTERVAL);
    expect(next.effects).toContainEqual({ t: 'tellRoom', room: TOWER, text: 'The bell chimes.' });
    expect(warnings(next.effects)).toEqual([]); // told once a minute at most
    const after = runTurn(world, config, TOWER, next.record, { id: ids[TIMER_BURST + 1], type: 'timer' }, INTERVAL);
    expect(after.effects).toEqual([{ t: 'timer', ref: TOWER, id: ids[TIMER_BURST + 1], due: 2 * INTERVAL }]);
    // A minute on, still throttled: told again.
    const later = runTurn(world, config, TOWER, next.record, { id: ids[TIMER_BURST + 1], type: 'timer' }, TIMER_WARN_EVERY_MS);
    expect(later.effects).toContainEqual({ t: 'tellRoom', room: TOWER, text: 'The bell chimes.' });
  });

  it('timers - a quiet object carries no pace in its record; one that fired recently does, until it is quiet again', () => {
    const set = runTurn(world, config, TOWER, undefined, say('p-2', 'ring 0'), 0);
    expect('timerPace' in (set.record as ObjectRecord)).toBe(false);
    const [{ id }] = timersOf(set.record as never);
    const fired = runTurn(world, config, TOWER, set.record, { id, type: 'timer' }, 0);
    expect((fired.record as ObjectRecord).timerPace).toEqual([INTERVAL, 0]);
    const quiet = runTurn(world, config, TOWER, fired.record, say('p-3', 'count'), 10 * INTERVAL);
    expect(quiet.changed).toBe(false); // nothing to write: the pace is simply past
    const rung = runTurn(world, config, TOWER, fired.record, say('p-4', 'ring 5000'), 10 * INTERVAL);
    expect('timerPace' in (rung.record as ObjectRecord)).toBe(false);
  });
});
