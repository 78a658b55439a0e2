// The outbox held past the window (world/core/outbox-hold.ts): an entry that slides out of a record's
// last 16 stays, with its kept effects, while the engine that delivered it may deliver it again, and goes
// when that engine's word says it has the answer; a bound in age and count keeps a dead gateway's entries
// from staying for ever. Function mode dedupes by the record alone, so the turn itself must find a held id.
import { beforeAll, describe, expect, it } from 'vitest';
import { answeredHere, HOLD_MAX, HOLD_MS, slideWindow, type OutboxEntry } from '../world/core/outbox-hold.js';
import { NewestWords } from '../world/core/newest-words.js';
import { DEDUPE_WINDOW, runTurn, type ObjectRecord } from '../world/core/turn.js';
import { BatchDelta, rebase } from '../world/core/record-rebase.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { World } from '../world/core/world.js';
import type { Effect, Json, Msg } from '../world/core/types.js';
import { toJsonText } from '../store/record-json.js';

const W = 4;
const stamped = (id: string, by: string, n: number, at = 0): OutboxEntry => [id, [], at, by, n];
const word = (by: string, n: number, open: string[] = [], low = n): Msg => ({ id: `w${n}`, type: 'x', delivery: { by, n, low, open } });
const ids = (entries: OutboxEntry[] | undefined) => (entries ?? []).map(([id]) => id);

describe('outbox hold', () => {
  it('outbox hold - an unstamped entry slides out as it always did; a stamped one is held until its deliverer has the answer', () => {
    const recent: OutboxEntry[] = [['u', [], 0], stamped('s', 'gw', 1), ['b', [], 0], ['c', [], 0]];
    // The writer's engine still waits on `s` (a retry pending): held, the unstamped `u` gone.
    const first = slideWindow(recent, undefined, [['d', [], 0], ['e', [], 0]], W, word('gw', 5, ['s']), 10);
    expect(ids(first.recent)).toEqual(['b', 'c', 'd', 'e']);
    expect(ids(first.held)).toEqual(['s']);
    // A later word of the same engine no longer names it: it has the answer, and the entry goes.
    const next = slideWindow(first.recent, first.held, [['f', [], 0]], W, word('gw', 6), 20);
    expect(next.held).toBeUndefined();
    expect(next.dropped).toEqual([]);
  });

  it('outbox hold - only its own deliverer lets an entry go, and only by a word stamped after the try that applied it ended', () => {
    const held = [stamped('a', 'gw1', 3), stamped('b', 'gw2', 3)];
    // gw2's word lets go its own entry only.
    expect(ids(slideWindow([], held, [], W, word('gw2', 9), 0).held)).toEqual(['a']);
    // A word stamped before the try that applied `a` (a message delayed in a mailbox) knows nothing of it,
    // and nor does one stamped while that try was still under way (its answer may yet be lost).
    expect(ids(slideWindow([], held, [], W, word('gw1', 2), 0).held)).toEqual(['a', 'b']);
    expect(ids(slideWindow([], held, [], W, word('gw1', 9, [], 3), 0).held)).toEqual(['a', 'b']);
    // An entry sliding out that its own writer's word says is answered is not held at all.
    const out = slideWindow([stamped('x', 'gw1', 4), ...held], undefined, [], 2, word('gw1', 7), 0);
    expect(ids(out.recent)).toEqual(['a', 'b']);
    expect(out.held).toBeUndefined();
  });

  it('outbox hold - given up past its age and past the count, oldest first, and said so', () => {
    const old = Array.from({ length: 3 }, (_, i) => stamped(`old${i}`, 'dead', i, 0));
    const young = Array.from({ length: HOLD_MAX + 2 }, (_, i) => stamped(`y${i}`, 'dead', 100 + i, HOLD_MS));
    const r = slideWindow([], [...old, ...young], [], W, undefined, HOLD_MS + 1);
    expect(ids(r.dropped)).toEqual(['old0', 'old1', 'old2', 'y0', 'y1']);
    expect(r.held).toHaveLength(HOLD_MAX);
    expect(r.held![0][0]).toBe('y2');
    // A replayed delta (no word, no time) lets nothing go and gives nothing up.
    expect(slideWindow([], [...old, ...young], [], W, undefined, undefined).held).toHaveLength(old.length + young.length);
  });

  it('outbox hold - a turn lets go by the newest word of its engine that reached the object; its own try stays its own', () => {
    const words = new NewestWords();
    const waited = word('gw', 5, ['x'], 2);
    for (const m of [waited, word('gw', 9, [], 8), word('gw', 7, [], 6), word('other', 20)]) words.note(m);
    // The message that waited in the mailbox is applied with the newest word of `gw` (stamped at 9), its own n kept.
    expect(words.fresh(waited).delivery).toEqual({ by: 'gw', n: 5, low: 8, open: [] });
    expect(words.fresh(word('gw', 9, [], 8))).toEqual(word('gw', 9, [], 8));
    const plain: Msg = { id: 'p', type: 'x' };
    expect(words.fresh(plain)).toBe(plain);
  });

  it('outbox hold - an answer known to have reached its engine (a write acknowledged in the engine\'s own process) unstamps or lets go its entry', () => {
    const record: ObjectRecord = { state: {}, recent: [stamped('a', 'gw', 1), stamped('b', 'gw', 2)], held: [stamped('h', 'gw', 0)] };
    expect(toJsonText(record as unknown as Json)).toBe(JSON.stringify(record)); // its entries' texts kept
    answeredHere(record, 'b');
    expect(record.recent[1]).toEqual(['b', [], 0]);
    // The store's text of the record is JSON.stringify's, the unstamped entry's effects' text reused.
    expect(toJsonText(record as unknown as Json)).toBe(JSON.stringify(record));
    answeredHere(record, 'h');
    expect(record.held).toBeUndefined();
    // Unstamped, it slides out unheld.
    expect(slideWindow(record.recent, record.held, [stamped('c', 'gw', 3)], 1, word('gw', 3, [], 1), 0).held).toEqual([stamped('a', 'gw', 1)]);
  });

  describe('a turn', () => {
    let world: World;
    beforeAll(async () => {
      world = await loadLiveWorld(DEFAULT_WORLD);
    });
    const config = { shardCapacity: 0 };
    const ANN = 'player/ann';

    it('outbox hold - a message held past the window is found applied, answered with its outbox; a held entry given up is logged', () => {
      // Ann drops the lantern; the engine that delivered it waits on the answer while 20 more writes go by.
      let record: ObjectRecord = { state: { room: 'room/lantern_market', inventory: ['item/lantern'], online: true }, recent: [] };
      const drop: Msg = { id: 'g-1', type: 'cmd', verb: 'drop', target: { words: ['lantern'], n: 1 }, actor: ANN };
      const first = runTurn(world, config, ANN, record, { ...drop, delivery: { by: 'gw', n: 1, low: 1, open: [] } }, 1_000);
      const sent = first.effects.filter((e): e is Effect & { t: 'send' } => e.t === 'send');
      expect(sent.map((e) => e.msg.type)).toEqual(['drop']);
      record = first.record!;
      for (let i = 0; i < DEDUPE_WINDOW + 4; i++) {
        const moved = runTurn(world, config, ANN, record, { id: `g-${i + 2}`, type: 'moved', room: i % 2 ? 'room/lantern_market' : 'room/plaza', delivery: { by: 'gw', n: i + 2, low: i + 2, open: ['g-1'] } }, 2_000 + i);
        expect(moved.changed).toBe(true);
        record = moved.record!;
      }
      expect(ids(record.held)).toEqual(['g-1']);
      expect(record.recent).toHaveLength(DEDUPE_WINDOW);
      // Delivered again (a new home, knowing it by the record alone): not run, its send given back.
      const again = runTurn(world, config, ANN, record, { ...drop, delivery: { by: 'gw', n: 30, low: 30, open: [] } }, 3_000);
      expect(again).toMatchObject({ duplicate: true, changed: false });
      expect(again.effects).toEqual([...sent, { t: 'again', to: ANN }]);
      // A gateway that died never says it has the answer: after HOLD_MS the entry is given up, and logged.
      const late = runTurn(world, config, ANN, record, { id: 'h-1', type: 'moved', room: 'room/plaza', delivery: { by: 'other', n: 1, low: 1, open: [] } }, 1_000 + HOLD_MS);
      // (The entry this write slides out is held in turn: `other` cannot speak for `gw`.)
      expect(ids(late.record!.held)).toEqual(['g-6']);
      expect(late.effects).toContainEqual({ t: 'log', level: 'warn', text: expect.stringMatching(/^outbox of message g-1 to player\/ann given up unanswered after 1200 s \(delivered by gw\)/) });
    });

    it('outbox hold - a replayed batch (function mode\'s merge) holds what it slides out and finds a held id applied', () => {
      const full = Array.from({ length: DEDUPE_WINDOW }, (_, i) => stamped(`m${i}`, 'gw', i));
      const current: ObjectRecord = { state: { contents: [] }, recent: full, held: [stamped('h', 'gw', 0)] };
      const delta = (id: string, n: number) => {
        const batch = new BatchDelta();
        batch.note({ changed: true, duplicate: false, effects: [], ops: [{ field: 'contents', add: `item/${id}` }], record: { state: {}, recent: [stamped(id, 'gw', n)] } });
        return batch.delta(current, ['contents'])!;
      };
      const merged = rebase(current, delta('n1', 50))!;
      expect(merged.state).toEqual({ contents: ['item/n1'] });
      expect(ids(merged.recent)).toEqual([...ids(full).slice(1), 'n1']);
      expect(ids(merged.held)).toEqual(['h', 'm0']);
      // A batch holding a message the record holds past its window: applied already, so not replayed.
      const twice = rebase(current, delta('h', 51));
      expect(twice).toBeUndefined();
    });
  });
});
