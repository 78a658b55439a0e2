// Items that respawn: a new copy with a ref of its own appears where an item
// started once its area's delay has passed since it was taken; the taken item
// stays taken, so every item still exists exactly once (the audit counts the
// copies). Played over the engine in every dispatch mode, in a test world with
// short delays; waits are deadline-bounded, never sleeps.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { runTurn, type ObjectRecord } from '../world/core/turn.js';
import { isSpawned, originalOf } from '../world/core/spawned-refs.js';
import { MemoryStore } from '../store/memory-store.js';

const ANN = 'player/ann';
const MODES = [['in-process', 0], ['actor', 2], ['function', 2]] as const;

const ORCHARD = `
world: { name: Vale, start: gate }
areas:
  vale:
    name: The Vale
    rooms: [gate, orchard]
    respawn: { items: 300ms }
  shed:
    name: The Shed
    rooms: [shed]
    respawn: { items: never }
rooms:
  gate: { name: The Gate, description: A gate., exits: { north: orchard, east: shed } }
  orchard: { name: The Orchard, description: Apple trees., exits: { south: gate }, items: [apple, pear, crate] }
  shed: { name: The Shed, description: Tools., exits: { west: gate }, items: [rake] }
items:
  apple:
    kind: item
    name: a red apple
    keywords: [apple]
    description: Shiny.
    script: |
      function spawned(state, msg, ctx) {
        if (msg.room) ctx.tellRoom(msg.room, 'An apple drops from the tree.');
      }
  pear: { kind: item, name: a ripe pear, keywords: [pear], description: Soft., respawn: 1h }
  crate: { kind: container, name: a crate, keywords: [crate], description: Slats., open: true, contents: [sword.1, sword.2] }
  sword: { kind: weapon, name: a short sword, keywords: [sword], description: Sharp., damage: 4, instances: [{}, {}] }
  rake: { kind: item, name: a rake, keywords: [rake], description: Rusty. }
`;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mud-respawn-'));
  await writeFile(join(dir, 'world.yaml'), ORCHARD);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function say(h: EngineHarness, line: string): Promise<string> {
  const before = h.lines.get(ANN)?.length ?? 0;
  await h.type(ANN, line);
  return (h.lines.get(ANN) ?? []).slice(before).join('\n');
}

interface Holder { contents: string[]; respawning?: { missing: Record<string, number> } }
async function holder(h: EngineHarness, ref: string): Promise<{ state: Holder; timers?: unknown[] } | undefined> {
  return (await h.store.get(ref))?.value as { state: Holder; timers?: unknown[] } | undefined;
}

const copies = (contents: string[], of: string) => contents.filter((r) => isSpawned(r) && originalOf(r) === of);

describe('item respawn', () => {
  for (const [mode, nodes] of MODES) {
    it(`item respawn - ${mode}: a taken apple is followed by a new one after the area's delay; swords come back to the crate; items exist once`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: dir });
      try {
        await h.engine.connect(ANN);
        await say(h, 'north');
        expect(await say(h, 'get apple')).toBe('You take a red apple.');
        await waitUntil(() => (h.lines.get(ANN) ?? []).includes('A red apple appears.'), 10_000, () => 'no apple appeared');
        // The copy runs the original's script: its `spawned` hook speaks in the room.
        await waitUntil(() => (h.lines.get(ANN) ?? []).includes('An apple drops from the tree.'), 10_000, () => 'the copy never ran its hook');
        expect(await say(h, 'look')).toMatch(/You see .*a red apple/);
        const orchard = await holder(h, 'room/orchard');
        const [copy] = copies(orchard!.state.contents, 'item/apple');
        expect(copy).toMatch(/^item\/apple-[a-z0-9]+$/);
        expect(orchard!.state.respawning).toBeUndefined();
        // The copy's record was written when it was made: the audit knows it exists.
        await waitUntil(async () => (await h.store.get(copy)) !== undefined, 10_000, () => `${copy} has no record`);

        // The copy is an item like the first: taken, it is followed by another.
        expect(await say(h, 'get apple')).toBe('You take a red apple.');
        await waitUntil(async () => copies((await holder(h, 'room/orchard'))!.state.contents, 'item/apple').length === 1
          && !(await holder(h, 'room/orchard'))!.state.contents.includes(copy), 10_000, () => 'no second copy');
        const drops = () => (h.lines.get(ANN) ?? []).filter((l) => l === 'An apple drops from the tree.').length;
        await waitUntil(() => drops() === 2, 10_000, () => `${drops()} apples dropped from the tree, not 2`);
        expect(await say(h, 'inventory')).toMatch(/two red apples/);

        // Both swords taken from the crate: new ones lie in it after the delay.
        expect(await say(h, 'get all from crate')).toBe('You take two short swords from the crate.');
        await waitUntil(async () => copies((await holder(h, 'item/crate'))?.state.contents ?? [], 'item/sword.1').length === 1
          && copies((await holder(h, 'item/crate'))!.state.contents, 'item/sword.2').length === 1, 10_000, () => 'the crate was not restocked');
        expect(await say(h, 'look in crate')).toMatch(/two short swords/);

        // Taken and put back before its delay: nothing new is made, the timer is cancelled.
        expect(await say(h, 'get pear')).toBe('You take a ripe pear.');
        const waiting = await holder(h, 'room/orchard');
        expect(Object.keys(waiting!.state.respawning!.missing)).toEqual(['item/pear']);
        expect(waiting!.timers).toHaveLength(1);
        await say(h, 'drop pear');
        const back = await holder(h, 'room/orchard');
        expect(back!.state.respawning).toBeUndefined();
        expect(back!.timers).toBeUndefined();

        // In an area whose items never respawn, what is taken stays gone.
        await say(h, 'south');
        await say(h, 'east');
        expect(await say(h, 'get rake')).toBe('You take a rake.');
        const shed = await holder(h, 'room/shed');
        expect(shed!.state).not.toHaveProperty('respawning');
        expect(shed!.timers).toBeUndefined();

        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);
  }

  it('item respawn - a fire run twice (a lost CAS race, a redelivery) makes the same copy; any copy put back cancels it; a copy nobody holds is reported', async () => {
    const world = await loadLiveWorld(dir);
    const config = { shardCapacity: 0 };
    const take = runTurn(world, config, 'room/orchard', undefined, { id: 'b-1', type: 'take', player: ANN, target: { words: ['apple'], n: 1 } }, 1_000);
    const record = take.record as ObjectRecord;
    const [id] = record.timers![0];
    const fire = { id, type: 'timer' };
    const first = runTurn(world, config, 'room/orchard', record, fire, 2_000);
    const again = runTurn(world, config, 'room/orchard', record, fire, 2_500);
    expect(first.record!.state).toEqual(again.record!.state);
    const made = copies((first.record!.state as unknown as Holder).contents, 'item/apple');
    expect(made).toHaveLength(1);
    expect(first.effects).toContainEqual(expect.objectContaining({ t: 'send', to: made[0], msg: expect.objectContaining({ type: 'spawned' }) }));
    // Delivered again to the committed record: the timer is spent, nothing more is made.
    const late = runTurn(world, config, 'room/orchard', first.record, fire, 3_000);
    expect(late.changed).toBe(false);
    // Any apple put back fills the place: a copy dropped there before the delay cancels the respawn.
    const dropped = runTurn(world, config, 'room/orchard', record, { id: 'b-2', type: 'drop', player: ANN, item: 'item/apple-elsewhere1', quiet: true }, 1_500);
    expect((dropped.record!.state as unknown as Holder).respawning).toBeUndefined();
    expect(dropped.record!.timers).toBeUndefined();

    const store = new MemoryStore();
    await store.put('item/apple-lost1', { state: {}, recent: [] });
    expect(await conservationErrors(store, world.definition)).toEqual(['item/apple-lost1 is held by nobody']);
  });
});
