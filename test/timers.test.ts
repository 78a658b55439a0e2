// Durable timers over every dispatch mode on the embedded lattice (worker-thread
// nodes): due time, cancellation, at-most-once when the fire is delivered again,
// across a live switch, a world reload, a gateway restart on the same store, and
// the death of the node that is the timer's object's home.
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { bellWorldDir } from './helpers/bell-world.js';
import { waitUntil } from './helpers/nats-server.js';
import { MemoryStore } from '../store/memory-store.js';
import { restoreTimers } from '../dispatch/timer-restore.js';
import { parseModeSpec } from '../modes/parse-modes.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { timersOf } from '../world/core/timers.js';

const TOWER = 'room/tower';
const BOB = 'player/bob';
const MODES = ['in-process', 'actor', 'function'] as const;
const OTHER: Record<string, string> = { 'in-process': 'actor', actor: 'function', function: 'in-process' };

let worldDir: string;
beforeAll(async () => {
  worldDir = await bellWorldDir();
});
afterAll(async () => {
  await rm(dirname(worldDir), { recursive: true, force: true });
});

async function count(h: EngineHarness): Promise<{ chimes: number; early: number }> {
  await h.type(BOB, 'say count');
  const line = h.lines.get(BOB)!.filter((l) => l.startsWith('chimes=')).at(-1)!;
  const [, chimes, early] = /chimes=(\d+) early=(\d+)/.exec(line)!;
  return { chimes: Number(chimes), early: Number(early) };
}

const chimesHeard = (h: EngineHarness) => (h.lines.get(BOB) ?? []).filter((l) => l === 'The bell chimes.').length;

async function pendingIn(h: EngineHarness): Promise<number> {
  return timersOf((await h.store.get(TOWER))?.value).length;
}

describe('timers', () => {
  for (const mode of MODES) {
    const nodes = mode === 'in-process' ? 0 : 2;

    it(`timers - ${mode}: a timer fires once, not before it is due, and leaves its record`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir });
      try {
        await h.engine.connect(BOB);
        const before = Date.now();
        await h.type(BOB, 'say ring 200');
        const [{ id }] = timersOf((await h.store.get(TOWER))?.value);
        // Delivered before it is due (a queue whose clock runs ahead): refused and announced again.
        await h.engine.redeliver(TOWER, { id, type: 'timer' });
        await waitUntil(() => chimesHeard(h) === 1, 10_000, () => 'the bell never chimed');
        expect(Date.now() - before).toBeGreaterThanOrEqual(200);
        await h.engine.quiesce();
        expect(await count(h)).toEqual({ chimes: 1, early: 0 });
        expect(await pendingIn(h)).toBe(0);
        expect(h.engine.timers.size).toBe(0);
      } finally {
        await h.close();
      }
    }, 30_000);

    it(`timers - ${mode}: a cancelled timer never fires, and a fire delivered again is a no-op`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir });
      try {
        await h.engine.connect(BOB);
        await h.type(BOB, 'say ring 100');
        const [{ id }] = timersOf((await h.store.get(TOWER))?.value);
        await h.type(BOB, 'say hush');
        expect(await pendingIn(h)).toBe(0);
        // The queue still delivers it (cancel is lazy there): its object ignores it.
        await waitUntil(() => h.engine.timers.firedTotal === 1, 10_000, () => 'the cancelled timer was never delivered');
        await h.engine.quiesce();
        await h.type(BOB, 'say ring 50');
        await waitUntil(() => chimesHeard(h) === 1, 10_000, () => 'the second timer never chimed');
        // The fired timer's id is in its object's dedupe window (the cancelled one never ran).
        const recent = ((await h.store.get(TOWER))!.value as { recent: Array<[string]> }).recent.map(([r]) => r);
        const second = recent.find((r) => /^t[a-z0-9]+s\d+$/.test(r) && r !== id)!;
        expect(second).toBeDefined();
        // Fires delivered again, after the chime (a retry, a second gateway): applied at most once.
        for (const again of [second, id]) await h.engine.redeliver(TOWER, { id: again, type: 'timer' });
        await h.engine.quiesce();
        expect(await count(h)).toEqual({ chimes: 1, early: 0 });
      } finally {
        await h.close();
      }
    }, 30_000);

    it(`timers - ${mode}: a timer pending across a live switch to ${OTHER[mode]} and a reload fires once`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes: 2, worldDir });
      try {
        await h.engine.connect(BOB);
        await h.type(BOB, 'say ring 400');
        await h.engine.switchTo(parseModeSpec(OTHER[mode]));
        await h.engine.setWorld(await loadLiveWorld(worldDir));
        await waitUntil(() => chimesHeard(h) === 1, 10_000, () => 'the bell never chimed after the switch');
        await h.engine.quiesce();
        expect(await count(h)).toEqual({ chimes: 1, early: 0 });
      } finally {
        await h.close();
      }
    }, 30_000);

    it(`timers - ${mode}: a gateway that goes away with timers pending hands them on through the store`, async () => {
      const store = new MemoryStore();
      const first = await engineHarness({ dispatch: mode, nodes, worldDir, store });
      await first.engine.connect(BOB);
      await first.type(BOB, 'say ring 300');
      await first.type(BOB, 'say ring 10000');
      await first.close();
      const second = await engineHarness({ dispatch: mode, nodes, worldDir, store });
      try {
        expect(await restoreTimers(store, second.engine.timers)).toBe(2);
        await second.engine.connect(BOB);
        await waitUntil(async () => (await count(second)).chimes === 1, 10_000, () => 'the restored timer never fired');
        expect(await count(second)).toEqual({ chimes: 1, early: 0 });
        expect(await pendingIn(second)).toBe(1);
      } finally {
        await second.close();
      }
    }, 30_000);
  }

  it('timers - function: turns that lost a compare-and-swap set no timer; every committed one fires once', async () => {
    const h = await engineHarness({ dispatch: 'function', nodes: 2, worldDir });
    try {
      const players = [BOB, ...Array.from({ length: 7 }, (_, i) => `player/p${i}`)];
      await Promise.all(players.map((p) => h.engine.connect(p)));
      await Promise.all(players.map((p) => h.type(p, 'say ring 300')));
      expect(await pendingIn(h)).toBe(players.length);
      await waitUntil(async () => (await pendingIn(h)) === 0 && h.engine.timers.size === 0, 10_000, () => 'timers still pending');
      await h.engine.quiesce();
      expect(await count(h)).toEqual({ chimes: players.length, early: 0 });
    } finally {
      await h.close();
    }
  }, 30_000);

  for (const mode of ['actor', 'function'] as const) {
    it(`timers - ${mode}: the death of every node that held the object loses no timer`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes: 2, worldDir });
      try {
        await h.engine.connect(BOB);
        await h.type(BOB, 'say ring 300');
        const lattice = h.setup.lattice!;
        for (const node of lattice.nodes()) await lattice.removeNode(node, 'kill');
        await waitUntil(() => chimesHeard(h) === 1, 20_000, () => 'the bell never chimed after the nodes died');
        await h.engine.quiesce();
        expect(await count(h)).toEqual({ chimes: 1, early: 0 });
      } finally {
        await h.close();
      }
    }, 40_000);
  }
});
