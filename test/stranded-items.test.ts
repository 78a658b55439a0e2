// A crash can leave an item between two objects: the chest committed handing
// the sword over, the player never got the message. On the next start the
// server finds the message in the chest's outbox and delivers it again, once.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../cluster/file-store.js';
import { strandedTransfers, readRecords } from '../bin/item-audit.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../bin/paths.js';
import { startTestServer } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import type { Json } from '../world/types.js';

async function strandSword(dir: string): Promise<void> {
  const store = await FileStore.open(dir);
  const receive = { t: 'send', to: 'player/zed', msg: { id: 'x-9.1.1', type: 'receive', item: 'item/sword.1', text: 'You take it.', actor: 'player/zed' } };
  await store.put('item/chest', { state: { open: true, locked: false, contents: ['item/sword.2', 'item/magic_sword'] }, recent: [['x-9.1', [receive], 1000]] } as unknown as Json);
  await store.put('player/zed', { state: { room: 'room/armory', inventory: [], wielded: null }, recent: [] } as unknown as Json);
  await store.close();
}

describe('stranded items', () => {
  it('audit - an item held by nobody is traced to the unapplied message carrying it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-strand-'));
    await strandSword(dir);
    const store = await FileStore.open(dir);
    const world = await loadLiveWorld(DEFAULT_WORLD);
    const { resend, unresolved } = strandedTransfers(await readRecords(store), world.definition);
    expect(resend.map((r) => [r.to, r.msg.id, r.item])).toEqual([['player/zed', 'x-9.1.1', 'item/sword.1']]);
    expect(unresolved).toEqual([]);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('audit - a respawned copy held by its room but without its record gets its spawned message again', async () => {
    const world = await loadLiveWorld(DEFAULT_WORLD);
    const copy = 'item/apple.1-k0ffee';
    const born = { t: 'send', to: copy, msg: { id: 't1k1.1', type: 'spawned', holder: 'room/lantern_market', room: 'room/lantern_market' } };
    const records = new Map([
      ['room/lantern_market', { state: { contents: [copy, 'item/apple.2', 'item/apple.3', 'item/lantern'] }, recent: [['t1k1', [born], 1000]] }],
      ['player/zed', { state: { inventory: ['item/apple.1'] }, recent: [] }],
    ]) as unknown as Awaited<ReturnType<typeof readRecords>>;
    const { resend, unresolved } = strandedTransfers(records, world.definition);
    expect(resend.map((r) => [r.to, r.msg.type, r.item])).toEqual([[copy, 'spawned', copy]]);
    expect(unresolved).toEqual([]);
    // Once the copy has its record, there is nothing to do.
    records.set(copy, { state: {}, recent: [['t1k1.1', [], 1001]] } as never);
    expect(strandedTransfers(records, world.definition).resend).toEqual([]);
  });

  it('recovery - after an unclean stop the server delivers the stranded item before anyone plays', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-strand-'));
    await strandSword(dir);
    await writeFile(join(dir, 'running'), '12345\n'); // the last run never stopped cleanly
    const server = await startTestServer({ dataDir: dir, nodes: 0 });
    expect(await conservationErrors(server.store, server.engine.currentWorld.definition)).toEqual([]);
    const zed = (await server.store.get('player/zed'))!.value as { state: { inventory: string[] } };
    expect(zed.state.inventory).toEqual(['item/sword.1']);
    await server.stop();
    // A clean stop leaves no marker: the next start does not audit again.
    const again = await startTestServer({ dataDir: dir, nodes: 0 });
    expect(((await again.store.get('player/zed'))!.value as { state: { inventory: string[] } }).state.inventory).toEqual(['item/sword.1']);
    await again.cleanup();
  });
});
