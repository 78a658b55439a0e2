// The history checker (ops/history-check.ts): a good history passes, and each kind of broken one is
// caught, with the object and revision named. Also: a real store's writes, recorded, make a good history.
import { describe, expect, it } from 'vitest';
import { checkHistory, type HistoryInput } from '../ops/history-check.js';
import { historyEntry, type HistoryWrite } from '../ops/write-history.js';
import { recordWrites, type StoreWrite } from '../store/write-recorder.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Json } from '../world/core/types.js';

const w = (key: string, prev: number | null, rev: number | null, home: string, holds: string[], applied: string[], epoch: number | null = 1): HistoryWrite =>
  ({ key, prev, rev, home, epoch, holds, applied });

/** A player takes the apple from the plaza (the room gives it up at 3, the player has it at 4), moves to
 *  another home (node2 takes over at 5), and drops it back (6, 7). Revisions are one order over the bucket. */
function good(): HistoryInput {
  return {
    writes: [
      w('player/ann', 0, 1, 'node1', [], ['m1']),
      w('room/plaza', 0, 2, 'node2', ['item/lamp', 'item/apple'], ['m2']),
      w('room/plaza', 2, 3, 'node2', ['item/lamp'], ['m2', 'm3']),
      w('player/ann', 1, 4, 'node1', ['item/apple'], ['m1', 'm4']),
      w('player/ann', 4, 5, 'node2', [], ['m1', 'm4', 'm5']),
      w('room/plaza', 3, 6, 'node2', ['item/lamp', 'item/apple'], ['m2', 'm3', 'm6']),
      w('player/ann', 5, 7, 'node2', [], ['m1', 'm4', 'm5', 'm7']),
    ],
    final: new Map([['player/ann', 7], ['room/plaza', 6]]),
    initial: new Map([['room/plaza', ['item/lamp', 'item/apple']]]),
    totalOrder: true,
  };
}

const change = (f: (h: HistoryInput) => void): HistoryInput => {
  const h = good();
  f(h);
  return h;
};

describe('history checker', () => {
  it('history check - a good history, with a change of home and a message window sliding, passes', () => {
    const v = checkHistory(good());
    expect(v.violations).toEqual([]);
    expect(v).toMatchObject({ writes: 7, objects: 2, landed: 0, rehomed: 1 });
  });

  it('history check - two homes writing one object on the same revision are caught', () => {
    const v = checkHistory(change((h) => {
      h.writes.push(w('player/ann', 4, 8, 'node3', ['item/apple'], ['m1', 'm4', 'm8']));
      h.final.set('player/ann', 8);
    }));
    expect(v.violations.join('\n')).toMatch(/player\/ann: two writes on revision 4 \(at 5 and 8\), by node2 in epoch 1 and by node3 in epoch 1: two homes at once; on one branch only: item\/apple/);
  });

  it('history check - an acknowledged write the store no longer holds is caught as lost', () => {
    const v = checkHistory(change((h) => h.final.set('player/ann', 5)));
    expect(v.violations).toEqual(['player/ann: the acknowledged write at 7 by node2 in epoch 1 is lost: the store holds 5']);
  });

  it('history check - a write based on a revision no recorded write left is caught', () => {
    const v = checkHistory(change((h) => {
      h.writes.splice(4, 1); // node2's write at 5 never recorded: its successor stands on nothing
    }));
    expect(v.violations.join('\n')).toMatch(/player\/ann: the write at 7 by node2 in epoch 1 was based on revision 5, which no recorded write left/);
  });

  it('history check - an item in two holders at one revision is caught', () => {
    const v = checkHistory(change((h) => {
      h.writes[3] = w('player/ann', 1, 2.5, 'node1', ['item/apple'], ['m1', 'm4']); // took it before the room gave it up
      h.writes[4] = w('player/ann', 2.5, 5, 'node2', [], ['m1', 'm4', 'm5']);
    }));
    expect(v.violations).toEqual(['item/apple is held by room/plaza and player/ann at revision 2.5']);
  });

  it('history check - a message applied twice to one object is caught, also after it left the window', () => {
    const v = checkHistory(change((h) => {
      h.writes[4] = w('player/ann', 4, 5, 'node2', [], ['m5']); // a window of one: m1 and m4 slid out
      h.writes[6] = w('player/ann', 5, 7, 'node2', [], ['m5', 'm4']);
    }));
    expect(v.violations).toEqual(['player/ann: message m4 applied twice (at 4 and 7 by node2 in epoch 1)']);
  });

  it('history check - a write under an older epoch after a newer one is caught', () => {
    const v = checkHistory(change((h) => {
      h.writes[4] = { ...h.writes[4], epoch: 2 };
    }));
    expect(v.violations).toEqual(['player/ann: written at 7 by node2 in epoch 1, after the write at 5 by node2 in epoch 2: a home acting on an older mode table']);
  });

  it('history check - a store ahead of every recorded write is caught', () => {
    const v = checkHistory(change((h) => h.final.set('room/plaza', 9)));
    expect(v.violations).toEqual(['room/plaza: the store holds revision 9, which no recorded write left (the last was 6)']);
  });

  it('history check - a write of unknown outcome counts as landed when the chain or the store stands on it, and is dropped otherwise', () => {
    const v = checkHistory(change((h) => {
      h.writes[4] = { ...h.writes[4], rev: null }; // a timeout: node2 never heard, but the write at 7 is based on it
      h.writes.push(w('room/plaza', 6, null, 'node1', ['item/lamp'], ['m2', 'm3', 'm6', 'm9'])); // timed out, never landed
    }));
    expect(v.violations).toEqual([]);
    expect(v.landed).toBe(1);
    const atEnd = checkHistory(change((h) => {
      h.writes.push(w('room/plaza', 6, null, 'node1', ['item/lamp'], ['m2', 'm3', 'm6', 'm9']));
      h.final.set('room/plaza', 8); // it did land
    }));
    expect(atEnd.violations).toEqual([]);
    expect(atEnd.landed).toBe(1);
  });

  it('history check - without a total order of revisions the items are left alone, the chains still checked', () => {
    const v = checkHistory(change((h) => {
      h.totalOrder = false;
      h.writes.push(w('player/bob', 0, 1, 'node1', ['item/lamp'], ['m9']));
      h.final.set('player/bob', 1);
    }));
    expect(v.violations).toEqual([]);
  });

  it('history check - a real store\'s writes, recorded, make a history that passes; a write lost behind its back is caught', async () => {
    const store = new MemoryStore();
    const writes: HistoryWrite[] = [];
    recordWrites(store, (s: StoreWrite) => {
      const e = historyEntry(s, 'node1', 0);
      if (e) writes.push(e);
    });
    const record = (items: string[], ids: string[]) => ({ state: { contents: items }, recent: ids.map((id) => [id, [], 0]) }) as unknown as Json;
    const r1 = await store.cas('room/cellar', record(['item/key'], ['a']), 0);
    expect(r1.ok).toBe(true);
    await store.cas('room/cellar', record([], ['a', 'b']), 1);
    expect((await store.cas('room/cellar', record([], ['a', 'c']), 1)).ok).toBe(false); // refused: no write, not recorded
    await store.put('account/ann', { name: 'ann' }); // no object's record: not recorded
    const final = new Map([['room/cellar', (await store.get('room/cellar'))!.revision]]);
    expect(writes.map((x) => [x.key, x.prev, x.rev])).toEqual([['room/cellar', 0, 1], ['room/cellar', 1, 2]]);
    expect(checkHistory({ writes, final, initial: new Map([['room/cellar', ['item/key']]]), totalOrder: false }).violations).toEqual([]);
    await store.put('room/cellar', record(['item/key'], ['a', 'b', 'd']));
    writes.pop(); // that put's entry is gone: the store is now ahead of the history
    final.set('room/cellar', (await store.get('room/cellar'))!.revision);
    expect(checkHistory({ writes, final, initial: new Map(), totalOrder: false }).violations).toEqual(['room/cellar: the store holds revision 3, which no recorded write left (the last was 2)']);
  });
});
