// Eating what respawns: an eaten apple goes back where it started, and the
// market meanwhile grew a new one in its place. One of the two is let go (a
// copy, never the world file's own apple), so the market holds one apple per
// place, as before anyone ate, and the item audit counts the eaten copy as gone
// on purpose. Played over the engine in every dispatch mode, in a test world
// with a short respawn delay; waits are deadline-bounded, never sleeps.
import { describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { MODES, say } from './helpers/transcript.js';
import { worldDirFor } from './helpers/world-dir.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { runTurn, type ObjectRecord } from '../world/core/turn.js';
import { isSpawned } from '../world/core/spawned-refs.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Json } from '../world/core/types.js';

const ANN = 'player/ann';

const ORCHARD = `
world: { name: Vale, start: orchard }
areas:
  vale:
    name: The Vale
    rooms: [orchard]
    respawn: { items: 300ms }
rooms:
  orchard: { name: The Orchard, description: Apple trees., items: [apple] }
items:
  apple: { kind: item, name: a red apple, keywords: [apple], description: Shiny., eat: Crisp. }
`;

const worldDir = worldDirFor(ORCHARD, 'mud-eat-respawn-');

const orchard = async (h: EngineHarness): Promise<string[]> => ((await h.store.get('room/orchard'))?.value as { state: { contents: string[] } }).state.contents;
const appeared = (h: EngineHarness) => (h.lines.get(ANN) ?? []).filter((l) => l === 'A red apple appears.').length;

describe('eating what respawns', () => {
  for (const [mode, nodes] of MODES) {
    it(`eat respawn - ${mode}: an eaten apple comes home to a market that grew another; one apple lies there, every item exists once`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: worldDir() });
      try {
        await h.engine.connect(ANN);
        expect(await say(h, 'get apple')).toBe('You take a red apple.');
        await waitUntil(() => appeared(h) === 1, 10_000, () => 'no apple grew');
        expect(await say(h, 'get apple')).toBe('You take a red apple.');
        await waitUntil(() => appeared(h) === 2, 10_000, () => 'no second apple grew');
        expect(await say(h, 'inventory')).toBe('You are carrying:\n  two red apples');

        // The world file's apple, eaten, comes home: the copy lying there is let go.
        expect(await say(h, 'eat apple')).toBe('You eat a red apple. Crisp.');
        let lying: string[] = [];
        await waitUntil(async () => (lying = await orchard(h)).length === 1 && lying[0] === 'item/apple', 10_000, () => `the orchard holds ${lying.join(', ')}`);
        // The copy in hand, eaten, is let go itself: the place is filled.
        expect(await say(h, 'eat apple')).toBe('You eat a red apple. Crisp.');
        await h.engine.quiesce();
        expect(await orchard(h)).toEqual(['item/apple']);
        expect(await say(h, 'look')).toContain('You see a red apple.');
        expect(await say(h, 'inventory')).toBe('You are carrying nothing.');
        expect(appeared(h)).toBe(2);
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);
  }

  it('eat respawn - a place already filled lets a copy go, once, and never the original; an eaten copy nobody holds is gone on purpose', async () => {
    const world = await loadLiveWorld(worldDir());
    const config = { shardCapacity: 0 };
    const filled: ObjectRecord = { state: { contents: ['item/apple-k1'] }, recent: [] };
    const home = { id: 'e-1', type: 'regrow', player: ANN, item: 'item/apple' };
    const back = runTurn(world, config, 'room/orchard', filled, home, 1_000);
    expect((back.record!.state as { contents: string[] }).contents).toEqual(['item/apple']);
    expect(back.effects).toContainEqual(expect.objectContaining({ t: 'send', to: 'item/apple-k1', msg: expect.objectContaining({ type: 'eaten' }) }));
    expect(runTurn(world, config, 'room/orchard', back.record, home, 1_100).duplicate).toBe(true);
    // A copy coming home to a filled place never lies down: it is let go.
    const copy = runTurn(world, config, 'room/orchard', back.record, { id: 'e-2', type: 'regrow', player: ANN, item: 'item/apple-k2' }, 1_200);
    expect((copy.record!.state as { contents: string[] }).contents).toEqual(['item/apple']);
    expect(copy.effects).toContainEqual(expect.objectContaining({ t: 'send', to: 'item/apple-k2', msg: expect.objectContaining({ type: 'eaten' }) }));
    // To an empty place, whichever apple comes home fills it.
    const empty = runTurn(world, config, 'room/orchard', { state: { contents: [] }, recent: [] }, { id: 'e-3', type: 'regrow', player: ANN, item: 'item/apple-k3' }, 1_300);
    expect((empty.record!.state as { contents: string[] }).contents).toEqual(['item/apple-k3']);

    const eaten = runTurn(world, config, 'item/apple-k1', { state: {}, recent: [] }, { id: 'e-4', type: 'eaten' }, 1_400);
    expect(eaten.record!.state).toEqual({ eaten: true });
    expect(isSpawned('item/apple-k1')).toBe(true);
    const store = new MemoryStore();
    await store.put('item/apple-k1', eaten.record as unknown as Json);
    await store.put('item/apple-k9', { state: {}, recent: [] });
    expect(await conservationErrors(store, world.definition)).toEqual(['item/apple-k9 is held by nobody']);
  });
});
