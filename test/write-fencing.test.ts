// A homed object's writes are fenced: when one fails, the writes queued behind
// it are cancelled, the object reloads, and the turns that did not land fail
// back with their message ids, to be delivered again. No write is lost.
import { beforeAll, describe, expect, it } from 'vitest';
import { HomedObjects } from '../modes/actor/homed-objects.js';
import type { ObjectRecord } from '../world/core/turn.js';
import { MemoryStore } from '../store/memory-store.js';
import { FencedWriteError } from '../modes/actor/write-queue.js';
import type { CasResult } from '../store/state-store.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { World } from '../world/core/world.js';
import { ANN, inventoryOf, receive } from './helpers/receiving-player.js';
import type { Json } from '../world/core/types.js';

/** The in-memory store, with its compare-and-swaps held at a gate until
 *  released: a store whose acknowledgements are in flight, as over a wire. */
class GatedStore extends MemoryStore {
  private held: Array<() => void> = [];
  holding = false;
  casCalls = 0;

  override cas(key: string, value: Json, expected: number): Promise<CasResult> {
    this.casCalls += 1;
    if (!this.holding) return super.cas(key, value, expected);
    return new Promise((resolve, reject) => this.held.push(() => super.cas(key, value, expected).then(resolve, reject)));
  }

  releaseAll(): void {
    this.holding = false;
    for (const go of this.held.splice(0)) go();
  }

  get waiting(): number {
    return this.held.length;
  }
}

let world: World;
beforeAll(async () => {
  world = await loadLiveWorld(DEFAULT_WORLD);
});

describe('write fencing', () => {
  it('homed objects - a failed write cancels the one queued behind it; both turns fail back, run again, and no write is lost', async () => {
    const store = new GatedStore();
    const homed = new HomedObjects(store, world, () => ({ shardCapacity: 0 }));
    await homed.run(ANN, receive('t-1', 'item/lantern')); // loaded, revision 1
    store.holding = true;
    const first = homed.run(ANN, receive('t-2', 'item/sword.1'));
    const second = homed.run(ANN, receive('t-3', 'item/shield'));
    await expect.poll(() => store.waiting).toBe(1); // the first write is in flight, the second waits behind it
    // Someone else writes the object meanwhile (its old home during a handoff, say), past the gate.
    const current = await store.get(ANN);
    const theirs = { state: { room: 'room/armory', inventory: ['item/lantern', 'item/key'], wielded: null }, recent: [] };
    expect(await MemoryStore.prototype.cas.call(store, ANN, theirs, current!.revision)).toMatchObject({ ok: true });
    store.releaseAll();
    const outcomes = await Promise.allSettled([first, second]);
    for (const [i, o] of outcomes.entries()) {
      expect(o.status).toBe('rejected');
      const err = (o as PromiseRejectedResult).reason as FencedWriteError;
      expect(err).toBeInstanceOf(FencedWriteError);
      expect(err.msgId).toBe(i === 0 ? 't-2' : 't-3');
    }
    expect(store.casCalls).toBe(2); // the queued write was never sent
    expect(await inventoryOf(store)).toEqual(['item/lantern', 'item/key']); // the other writer's record stands
    // The engine delivers both again, same ids: they apply once, on the reloaded record.
    await homed.run(ANN, receive('t-2', 'item/sword.1'));
    await homed.run(ANN, receive('t-3', 'item/shield'));
    expect(await inventoryOf(store)).toEqual(['item/lantern', 'item/key', 'item/sword.1', 'item/shield']);
  });

  it('homed objects - turns computed while a write is in flight go to the store as one write, in order', async () => {
    const store = new GatedStore();
    const homed = new HomedObjects(store, world, () => ({ shardCapacity: 0 }));
    await homed.run(ANN, receive('u-1', 'item/lantern'));
    store.holding = true;
    const first = homed.run(ANN, receive('u-2', 'item/sword.1'));
    await expect.poll(() => store.waiting).toBe(1);
    const rest = ['item/shield', 'item/key'].map((item, i) => homed.run(ANN, receive(`u-${i + 3}`, item)));
    store.releaseAll();
    await Promise.all([first, ...rest]);
    expect(store.casCalls).toBe(3); // the load's write, the first in flight, then the other two folded into one
    expect(await inventoryOf(store)).toEqual(['item/lantern', 'item/sword.1', 'item/shield', 'item/key']);
  });

  it('homed objects - turns computed in one tick go to the store as one write', async () => {
    const store = new GatedStore();
    const homed = new HomedObjects(store, world, () => ({ shardCapacity: 0 }));
    await homed.run(ANN, receive('v-1', 'item/lantern'));
    const runs = ['item/sword.1', 'item/shield', 'item/key'].map((item, i) => homed.run(ANN, receive(`v-${i + 2}`, item)));
    await Promise.all(runs);
    expect(store.casCalls).toBe(2); // the load's write, then the tick's three turns as one
    expect(await inventoryOf(store)).toEqual(['item/lantern', 'item/sword.1', 'item/shield', 'item/key']);
  });

  it('homed objects - a load that failed leaves no state to compute on: the turns behind it fail back, the next one reads the object again', async () => {
    const store = new GatedStore();
    const homed = new HomedObjects(store, world, () => ({ shardCapacity: 0 }));
    await homed.run(ANN, receive('v-1', 'item/lantern'));
    await homed.release(() => true); // out of memory: the next turn reads it from the store
    const get = store.get.bind(store);
    store.get = () => Promise.reject(new Error('NATS KV bucket mud: get player/ann failed: TIMEOUT'));
    const casCalls = store.casCalls;
    const cut = [homed.run(ANN, receive('v-2', 'item/sword.1')), homed.run(ANN, receive('v-3', 'item/shield'))];
    for (const o of await Promise.allSettled(cut)) expect(o.status).toBe('rejected');
    // Neither computed on the empty state: a turn that writes nothing would have released what it computed.
    expect(store.casCalls).toBe(casCalls);
    store.get = get; // healed
    // Computed on the stored record, not on a player who "does not exist" (whose write would be refused).
    await homed.run(ANN, receive('v-2', 'item/sword.1'));
    expect(await inventoryOf(store)).toEqual(['item/lantern', 'item/sword.1']);
  });

  it('homed objects - a message delivered again after 20 later turns (past its record\'s window of 16) is answered as applied, not applied twice', async () => {
    const store = new MemoryStore();
    const homed = new HomedObjects(store, world, () => ({ shardCapacity: 0 }));
    const coins = { id: 'late', type: 'coins', coins: 5, text: null };
    await homed.run(ANN, coins);
    for (let i = 0; i < 20; i++) await homed.run(ANN, { id: `busy-${i}`, type: 'coins', coins: 1, text: null });
    const record = () => store.get(ANN).then((v) => v!.value as unknown as ObjectRecord & { state: { coins: number } });
    expect((await record()).recent.map(([id]) => id)).not.toContain('late');
    expect((await record()).state.coins).toBe(25);
    // Its answer was lost in a cut; the request is sent again after the heal, to the same home.
    await homed.run(ANN, coins);
    expect((await record()).state.coins).toBe(25);
  });

  it('homed objects - a message whose write landed unanswered, delivered again after 20 later turns, is found by the home that reloaded the record', async () => {
    const store = new MemoryStore();
    const writer = new HomedObjects(store, world, () => ({ shardCapacity: 0 }));
    await writer.run(ANN, { id: 'lost-answer', type: 'coins', coins: 5, text: null });
    // Another home (or this one, after its write was fenced) loads the record with the id in its window.
    const home = new HomedObjects(store, world, () => ({ shardCapacity: 0 }));
    for (let i = 0; i < 20; i++) await home.run(ANN, { id: `busy-${i}`, type: 'coins', coins: 1, text: null });
    await home.run(ANN, { id: 'lost-answer', type: 'coins', coins: 5, text: null });
    expect(((await store.get(ANN))!.value as unknown as { state: { coins: number } }).state.coins).toBe(25);
  });
});
