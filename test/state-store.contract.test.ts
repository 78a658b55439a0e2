// The StateStore contract (store/state-store.ts), run against the memory store and
// every backend of the registry (store/registry.ts), opened as `mud serve --store` opens it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import type { StateStore } from '../store/state-store.js';
import { STORE_KINDS, storeSpec } from '../store/registry.js';
import type { StoreCapabilities } from '../store/store-spec.js';
import { canSnapshot } from '../store/store-snapshot.js';
import { NatsLink } from '../nats/nats-connection.js';
import { silentLogger } from '../support/logger.js';
import type { Json } from '../world/core/types.js';
import { describeWithNats, startNatsServer, type TestNatsServer } from './helpers/nats-server.js';

interface StoreFactory {
  name: string;
  /** A fresh, empty store for one test. */
  make: () => Promise<StateStore>;
  /** Needs a real nats-server: skipped (visibly) without one, failed under CI. */
  needsNats?: boolean;
  /** What its spec declares it can do (a registered backend). */
  caps?: StoreCapabilities;
}

// One nats-server for the KV store's suite, started on first use; a bucket per test.
let nats: Promise<TestNatsServer> | undefined;
let buckets = 0;

const tempDirs: string[] = [];

const factories: StoreFactory[] = [
  { name: 'MemoryStore', make: async () => new MemoryStore() },
  ...STORE_KINDS.map((kind): StoreFactory => {
    const spec = storeSpec(kind);
    return {
      name: `--store ${kind}`,
      needsNats: spec.caps.needsNats,
      caps: spec.caps,
      make: async () => {
        const dataDir = await mkdtemp(join(tmpdir(), 'lattice-contract-'));
        tempDirs.push(dataDir);
        const link = spec.caps.needsNats ? await NatsLink.connect((await (nats ??= startNatsServer())).url, { name: 'contract', log: silentLogger() }) : undefined;
        return spec.open({ dataDir, link, ownsLink: true, flags: { bucket: `contract${++buckets}` } });
      },
    };
  }),
];

afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
  await (await nats)?.cleanup();
});

for (const f of factories) {
  if (f.needsNats) describeWithNats(`StateStore contract: ${f.name} (nats-server)`, () => describeStateStore(f));
  else describeStateStore(f);
}

/** Increments a counter key by one, retrying on conflict with the `current` it returns. */
async function increment(store: StateStore, key: string): Promise<number> {
  let cur = await store.get(key);
  for (;;) {
    const res = await store.cas(key, ((cur?.value as number | undefined) ?? 0) + 1, cur?.revision ?? 0);
    if (res.ok) return res.revision;
    cur = res.current;
  }
}

function describeStateStore({ name, make: makeStore, caps }: StoreFactory): void {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close().catch(() => {});
    });

    if (caps) {
      it('has what its spec declares: watch and snapshot exactly when it says so', () => {
        expect(typeof store.watch === 'function').toBe(caps.watch);
        expect(canSnapshot(store)).toBe(caps.snapshot);
      });
    }

    it('reads an absent key as undefined', async () => {
      expect(await store.get('room/nowhere')).toBeUndefined();
    });

    it('creates with expected 0 only when absent; the conflict carries current', async () => {
      const created = await store.cas('room/a', { n: 1 }, 0);
      expect(created).toEqual({ ok: true, revision: expect.any(Number) });
      const again = await store.cas('room/a', { n: 2 }, 0);
      expect(again).toEqual({ ok: false, current: { value: { n: 1 }, revision: (created as { revision: number }).revision } });
      expect(await store.get('room/a')).toEqual({ value: { n: 1 }, revision: (created as { revision: number }).revision });
    });

    it('writes at the right revision and conflicts at a wrong one', async () => {
      const r1 = await store.cas('item/x', 'one', 0);
      if (!r1.ok) throw new Error('create failed');
      const r2 = await store.cas('item/x', 'two', r1.revision);
      if (!r2.ok) throw new Error('update failed');
      expect(r2.revision).toBeGreaterThan(r1.revision);
      expect(await store.cas('item/x', 'stale', r1.revision)).toEqual({ ok: false, current: { value: 'two', revision: r2.revision } });
      expect(await store.cas('item/absent', 'x', 3)).toEqual({ ok: false, current: undefined });
      expect(await store.get('item/absent')).toBeUndefined();
    });

    it('numbers revisions from 1, one per write (embedded stores; KV revisions are stream sequences)', async () => {
      if (!store.revisionsStepByOne) {
        const r1 = await store.put('player/q', 1);
        const r2 = await store.put('player/r', 1);
        const c = await store.cas('player/q', 2, r1);
        expect(r1).toBeGreaterThanOrEqual(1);
        expect(r2).toBeGreaterThan(r1);
        expect(c.ok && c.revision > r2).toBe(true);
        return;
      }
      expect(await store.cas('player/p', 1, 0)).toEqual({ ok: true, revision: 1 });
      expect(await store.cas('player/p', 2, 1)).toEqual({ ok: true, revision: 2 });
      expect(await store.put('player/p', 3)).toBe(3);
      expect(await store.put('player/q', 1)).toBe(1);
    });

    it('puts whatever the revision', async () => {
      const r1 = await store.put('account/alice', { pw: 'a' });
      const r2 = await store.put('account/alice', { pw: 'b' });
      expect(r2).toBeGreaterThan(r1);
      expect(await store.get('account/alice')).toEqual({ value: { pw: 'b' }, revision: r2 });
    });

    it('deletes with and without expected', async () => {
      const r1 = await store.put('item/a', 1);
      expect(await store.delete('item/a', r1 + 5)).toBe(false);
      expect(await store.get('item/a')).toEqual({ value: 1, revision: r1 });
      expect(await store.delete('item/a', r1)).toBe(true);
      expect(await store.get('item/a')).toBeUndefined();
      expect(await store.delete('item/a')).toBe(false);
      await store.put('item/b', 2);
      expect(await store.delete('item/b')).toBe(true);
      expect(await store.get('item/b')).toBeUndefined();
      expect(await store.scan('item/')).toEqual([]);
    });

    it('re-creates a deleted key at a revision above the deleted one (no ABA)', async () => {
      const r1 = await store.put('item/c', 'old');
      await store.delete('item/c');
      expect(await store.cas('item/c', 'new', r1)).toEqual({ ok: false, current: undefined });
      const created = await store.cas('item/c', 'new', 0);
      expect(created.ok && created.revision > r1).toBe(true);
    });

    it('scans live keys by prefix in key order', async () => {
      for (const key of ['room/b', 'room/a', 'roomx', 'room/c', 'item/a', 'room/a~2']) await store.put(key, key);
      await store.delete('room/c');
      const found = await store.scan('room/');
      expect(found.map((e) => e.key)).toEqual(['room/a', 'room/a~2', 'room/b']);
      expect(found[0]).toEqual({ key: 'room/a', value: 'room/a', revision: store.revisionsStepByOne ? 1 : expect.any(Number) });
      expect((await store.scan('')).map((e) => e.key)).toEqual(['item/a', 'room/a', 'room/a~2', 'room/b', 'roomx']);
    });

    it('counts reads, writes and conflicts', async () => {
      const s0 = store.stats();
      await store.get('room/s');
      const r = await store.cas('room/s', 1, 0);
      await store.cas('room/s', 2, 0); // conflict
      await store.put('room/t', 1);
      await store.delete('room/t');
      await store.get('room/s');
      const s1 = store.stats();
      expect(s1.reads - s0.reads).toBe(2);
      expect(s1.writes - s0.writes).toBe(3);
      expect(s1.casConflicts - s0.casConflicts).toBe(1);
      expect(s1.commits).toBeGreaterThanOrEqual(s0.commits);
      expect(r.ok).toBe(true);
    });

    it('lets exactly one of concurrent writers win each revision', async () => {
      const revisions = await Promise.all(Array.from({ length: 100 }, () => increment(store, 'room/counter')));
      expect(new Set(revisions).size).toBe(100);
      const final = await store.get('room/counter');
      expect(final?.value).toBe(100);
      expect(final?.revision).toBe(Math.max(...revisions));
    });

    it('never shares values by reference', async () => {
      const input: { [k: string]: Json } = { items: ['a'], hp: 3 };
      await store.put('player/v', input);
      (input.items as Json[]).push('mutated input');
      const got = await store.get('player/v');
      (got!.value as { items: Json[] }).items.push('mutated output');
      expect(await store.get('player/v')).toEqual({ value: { items: ['a'], hp: 3 }, revision: store.revisionsStepByOne ? 1 : expect.any(Number) });
      const conflict = await store.cas('player/v', 0, 0);
      if (conflict.ok) throw new Error('expected a conflict');
      (conflict.current!.value as { hp: number }).hp = 99;
      expect((await store.get('player/v'))?.value).toEqual({ items: ['a'], hp: 3 });
    });

    it('stores null and other plain JSON values', async () => {
      for (const v of [null, false, 0, '', [], {}, 'ünïcödé ✓', { nested: [1, [2, { x: null }]] }] as Json[]) {
        await store.put('item/v', v);
        expect((await store.get('item/v'))?.value).toEqual(v);
      }
    });

    it('rejects operations after close', async () => {
      await store.put('item/z', 1);
      await store.close();
      await expect(store.get('item/z')).rejects.toThrow(/closed/);
      await expect(store.cas('item/z', 2, 1)).rejects.toThrow(/closed/);
      await expect(store.put('item/z', 2)).rejects.toThrow(/closed/);
    });
  });
}
