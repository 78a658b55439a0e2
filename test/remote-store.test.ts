// A node's view of the gateway's store: JSON text crosses, the node parses; a
// read cache is revalidated by revision on every read, so it is never stale.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { ReadCache } from '../store/read-cache.js';
import { RemoteStore, serveStoreOp, type StoreOp } from '../store/remote-store.js';

function remote(store: MemoryStore, cache?: ReadCache): { node: RemoteStore; ops: string[] } {
  const ops: string[] = [];
  const node = new RemoteStore(async (op: StoreOp) => {
    ops.push(op.op);
    return structuredClone(await serveStoreOp(store, op));
  }, true, cache);
  return { node, ops };
}

describe('remote store', () => {
  it('remote - get and cas cross as JSON text and behave like the store', async () => {
    const store = new MemoryStore();
    const { node, ops } = remote(store);
    expect(await node.get('room/a')).toBeUndefined();
    expect(await node.cas('room/a', { n: 1 }, 0)).toEqual({ ok: true, revision: 1 });
    expect(await node.cas('room/a', { n: 9 }, 0)).toEqual({ ok: false, current: { value: { n: 1 }, revision: 1 } });
    expect(await node.get('room/a')).toEqual({ value: { n: 1 }, revision: 1 });
    expect(ops).toEqual(['getJson', 'casJson', 'casJson', 'getJson']);
  });

  it('remote - the read cache answers from memory while the revision holds, and never serves a stale value', async () => {
    const store = new MemoryStore();
    await store.put('room/a', { crowd: ['p1', 'p2'] });
    const { node, ops } = remote(store, new ReadCache());
    const first = await node.get('room/a');
    const second = await node.get('room/a');
    expect(second).toEqual(first);
    expect(second!.value).toBe(first!.value); // the same parsed object: nothing crossed
    expect(ops).toEqual(['getJson', 'getJsonIfChanged']);
    await store.put('room/a', { crowd: ['p3'] }); // another node wrote it
    expect(await node.get('room/a')).toEqual({ value: { crowd: ['p3'] }, revision: 2 });
    expect(await node.cas('room/a', { crowd: [] }, 2)).toEqual({ ok: true, revision: 3 });
    expect(await node.get('room/a')).toEqual({ value: { crowd: [] }, revision: 3 });
    await store.delete('room/a');
    expect(await node.get('room/a')).toBeUndefined();
  });
});
