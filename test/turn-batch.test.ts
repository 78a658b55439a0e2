// Function mode's batches: turns of one object that queued together run in
// order on one read and commit with one compare-and-swap; on a conflict all of
// them run again on the fresher state, so none is lost or applied twice.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { StatelessTurns } from '../modes/function/stateless-turns.js';
import { MemoryStore } from '../store/memory-store.js';
import type { CasResult } from '../store/state-store.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { World } from '../world/core/world.js';
import { ANN, inventoryOf, receive } from './helpers/receiving-player.js';
import type { Json } from '../world/core/types.js';
import { engineHarness } from './helpers/engine-harness.js';

/** The in-memory store, counting compare-and-swaps; `interfere` runs once before the next one. */
class CountingStore extends MemoryStore {
  casCalls = 0;
  interfere: (() => Promise<void>) | undefined;

  override async cas(key: string, value: Json, expected: number): Promise<CasResult> {
    this.casCalls += 1;
    const meddle = this.interfere;
    this.interfere = undefined;
    await meddle?.();
    return super.cas(key, value, expected);
  }
}

let world: World;
beforeAll(async () => {
  world = await loadLiveWorld(DEFAULT_WORLD);
});

describe('turn batches', () => {
  it('function mode - a batch of turns runs in order and commits with one write', async () => {
    const store = new CountingStore();
    const turns = new StatelessTurns(store, world);
    await turns.run(ANN, receive('b-1', 'item/lantern'), { shardCapacity: 0 });
    const r = await turns.runBatch(ANN, ['item/sword.1', 'item/shield', 'item/key'].map((item, i) => receive(`b-${i + 2}`, item)), { shardCapacity: 0 });
    expect(r.results).toHaveLength(3);
    expect(r.wrote).toBe(true);
    expect(store.casCalls).toBe(2);
    expect(await inventoryOf(store)).toEqual(['item/lantern', 'item/sword.1', 'item/shield', 'item/key']);
    // Delivered again (same ids), the batch changes nothing: each turn is in the dedupe window.
    const again = await turns.runBatch(ANN, ['item/sword.1', 'item/shield'].map((item, i) => receive(`b-${i + 2}`, item)), { shardCapacity: 0 });
    expect(again.wrote).toBe(false);
    expect(await inventoryOf(store)).toEqual(['item/lantern', 'item/sword.1', 'item/shield', 'item/key']);
  });

  it('function mode - a batch that loses its compare-and-swap runs whole again on the winner\'s state', async () => {
    const store = new CountingStore();
    const turns = new StatelessTurns(store, world);
    await turns.run(ANN, receive('c-1', 'item/lantern'), { shardCapacity: 0 });
    // Another node commits a turn of Ann between this batch's read and its write.
    store.interfere = async () => {
      await new StatelessTurns(store, world).run(ANN, receive('c-9', 'item/key'), { shardCapacity: 0 });
    };
    const r = await turns.runBatch(ANN, [receive('c-2', 'item/sword.1'), receive('c-3', 'item/shield')], { shardCapacity: 0 });
    expect(r.conflicts).toBe(1);
    expect(await inventoryOf(store)).toEqual(['item/lantern', 'item/key', 'item/sword.1', 'item/shield']);
  });

  it.each([
    { rival: 'another arrival', msg: { id: 'r-9', type: 'enter', player: 'player/zed', name: 'Zed', dir: null }, reruns: 0 },
    // Arrivals greet the creatures here: with the shopkeeper gone, what they decided is stale.
    { rival: 'the shopkeeper wandering off', msg: { id: 'r-9', type: 'release', item: 'item/pell', to: 'room/moonlit_garden' }, reruns: 1 },
  ])('function mode - arrivals and a departure that lose their compare-and-swap to $rival: $reruns re-runs', async ({ msg, reruns }) => {
    const store = new CountingStore();
    const turns = new StatelessTurns(store, world);
    const computed = vi.spyOn(turns, 'compute');
    const room = 'room/lantern_market';
    const config = { shardCapacity: 0, merge: true };
    const enter = (id: string, who: string) => ({ id, type: 'enter', player: `player/${who}`, name: who, dir: null });
    await turns.run(room, enter('r-1', 'ann'), config);
    store.interfere = async () => {
      await new StatelessTurns(store, world).run(room, msg, config);
    };
    const r = await turns.runBatch(room, [enter('r-2', 'bob'), { id: 'r-3', type: 'exit', player: 'player/ann', dir: 'east' }, enter('r-4', 'cy')], config);
    expect(r.conflicts).toBe(1);
    expect(computed).toHaveBeenCalledTimes(2 + reruns); // the first arrival, the batch, and its re-run if any
    const record = (await store.get(room))!.value as { state: { occupants: string[] }; recent: Array<[string]> };
    expect([...record.state.occupants].sort()).toEqual(msg.type === 'enter' ? ['player/bob', 'player/cy', 'player/zed'] : ['player/bob', 'player/cy']);
    expect(record.recent.map(([id]) => id).sort()).toEqual(['r-1', 'r-2', 'r-3', 'r-4', 'r-9']);
  });

  it('function mode - players crowding in and out of one room over two nodes: each ends in exactly one room', async () => {
    const h = await engineHarness({ dispatch: 'function', nodes: 2 });
    try {
      const players = Array.from({ length: 24 }, (_, i) => `player/crowd${i}`);
      const start = world.definition.startRoom;
      for (const p of players) await h.engine.connect(p);
      // Everyone moves at once, out and back: the start room's turns queue at its gate and go in batches.
      const exitsOf = (room: string) => world.definition.rooms[room].exits as Record<string, string>;
      const [out, next] = Object.entries(exitsOf(start))[0];
      const back = Object.entries(exitsOf(next)).find(([, to]) => to === start)![0];
      for (let round = 0; round < 3; round++) {
        await Promise.all(players.map((p) => h.type(p, out)));
        await Promise.all(players.map((p) => h.type(p, back)));
      }
      const room = (await h.store.get(start))!.value as { state: { occupants: string[] } };
      expect([...room.state.occupants].sort()).toEqual([...players].sort());
    } finally {
      await h.close();
    }
  }, 60_000);
});
