// The trade protocol turn by turn (world/kinds/player-trade.ts), for the
// interleavings a transcript cannot force: the decider changed its side while
// the commit was on its way (both take their goods back), and a commit asked
// again after a crash (answered as decided, nothing handed over twice).
import { beforeAll, describe, expect, it } from 'vitest';
import { runTurn, type ObjectRecord } from '../world/core/turn.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { World } from '../world/core/world.js';
import type { Effect, Msg } from '../world/core/types.js';

const ANN = 'player/ann';
const BOB = 'player/bob';
const config = { shardCapacity: 0, clientData: false };

describe('trade protocol', () => {
  let world: World;
  beforeAll(async () => {
    world = await loadLiveWorld(DEFAULT_WORLD);
  });

  /** Bob (the decider: his ref sorts after Ann's) in a trade that has reached the given terms. */
  const bob = (accepted: [number, number] | null, mine = { items: ['item/pebble'], coins: 0, v: 1 }): ObjectRecord => ({
    state: { room: 'room/mystical_plaza', inventory: [], wielded: null, trade: { id: 't-1', with: ANN, mine, theirs: { items: ['item/brass_key'], coins: 3, v: 2 }, accepted, peerAccepted: [2, 1], settling: null } },
    recent: [],
  });
  const commit = (id: string): Msg => ({ id, type: 'tradeCommit', from: ANN, trade: 't-1', terms: [1, 2] });
  const sends = (effects: Effect[]) => effects.flatMap((e) => (e.t === 'send' ? [[e.to, e.msg.type, e.msg.item ?? e.msg.coins ?? e.msg.ok]] : []));

  it('trade protocol - the decider still accepts the terms: it hands over its side and answers yes, once', () => {
    const out = runTurn(world, config, BOB, bob([1, 2]), commit('c-1'), 10);
    expect(sends(out.effects)).toEqual([[ANN, 'tradeSettled', true], [ANN, 'receive', 'item/pebble']]);
    const after = out.record!.state as { trade: unknown; inventory: string[] };
    expect(after.trade).toBeNull();
    // The preparer asks again (its timer: a new message id): the same answer, and nothing handed over.
    const again = runTurn(world, config, BOB, out.record, commit('r-7'), 20);
    expect(sends(again.effects)).toEqual([[ANN, 'tradeSettled', true]]);
  });

  it('trade protocol - the decider changed its side while the commit was on its way: no, and both take theirs back', () => {
    // Bob put up more (version 2) after accepting version 1: his acceptance was cleared.
    const changed = bob(null, { items: ['item/pebble', 'item/book'], coins: 0, v: 2 });
    const out = runTurn(world, config, BOB, changed, commit('c-1'), 10);
    expect(sends(out.effects)).toEqual([[ANN, 'tradeSettled', false]]);
    const after = out.record!.state as { trade: unknown; inventory: string[] };
    expect(after.trade).toBeNull();
    expect(after.inventory).toEqual(['item/pebble', 'item/book']);
    // Ann, settling, hears no: her goods come back from escrow, nothing of Bob's reaches her.
    const ann: ObjectRecord = {
      state: { room: 'room/mystical_plaza', inventory: [], wielded: null, trade: { id: 't-1', with: BOB, mine: { items: ['item/brass_key'], coins: 3, v: 2 }, theirs: { items: ['item/pebble'], coins: 0, v: 1 }, accepted: [2, 1], peerAccepted: [1, 2], settling: 'x-1t1' } },
      recent: [],
    };
    const settled = runTurn(world, config, ANN, ann, { id: 's-1', type: 'tradeSettled', from: BOB, trade: 't-1', terms: [2, 1], ok: false }, 30);
    expect(sends(settled.effects)).toEqual([]);
    expect(settled.record!.state).toMatchObject({ trade: null, inventory: ['item/brass_key'], coins: 3 });
  });

  it('trade protocol - messages of another trade, or from someone else, change nothing', () => {
    const record = bob([1, 2]);
    for (const msg of [{ ...commit('c-1'), trade: 't-0' }, { id: 'e-1', type: 'tradeEnd', from: 'player/carl', trade: 't-1' }, { id: 'e-2', type: 'tradeTerms', from: ANN, trade: 't-0', goods: [], coins: 0, v: 9 }]) {
      const out = runTurn(world, config, BOB, record, msg as Msg, 10);
      expect(sends(out.effects).filter(([, type]) => type === 'receive')).toEqual([]);
      expect((out.record!.state as { trade: { id: string } | null }).trade?.id ?? 't-1').toBe('t-1');
    }
  });
});
