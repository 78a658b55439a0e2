// A crash can leave an item between two objects: the chest committed handing
// the sword over, the player never got the message. On the next start the
// server finds the message in the chest's outbox and delivers it again, once.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../store/file-store.js';
import { strandedTransfers, readRecords } from '../ops/item-audit.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { startTestServer } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import type { Json } from '../world/core/types.js';

async function strandSword(dir: string): Promise<void> {
  const store = await FileStore.open(dir);
  const receive = { t: 'send', to: 'player/zed', msg: { id: 'x-9.1.1', type: 'receive', item: 'item/sword.1', text: 'You take it.', actor: 'player/zed' } };
  await store.put('item/chest', { state: { open: true, locked: false, contents: ['item/sword.2', 'item/magic_sword'] }, recent: [['x-9.1', [receive], 1000]] } as unknown as Json);
  await store.put('player/zed', { state: { room: 'room/armory', inventory: [], wielded: null }, recent: [] } as unknown as Json);
  await store.close();
}

const DEFAULT = await loadLiveWorld(DEFAULT_WORLD);

/** What kill -9 leaves right after zed's death in the armory was written, before any of its messages landed:
 *  the sword gone from zed, no corpse record, the armory without it (world/kinds/combat.ts `die`). */
function unbornCorpse(): { records: Awaited<ReturnType<typeof readRecords>>; corpse: string } {
  const corpse = 'item/corpse-zed-k0ffee';
  const sends = [
    { t: 'send', to: corpse, msg: { id: 'd1.1', type: 'spawned', holder: 'room/armory', room: 'room/armory' } },
    { t: 'send', to: corpse, msg: { id: 'd1.2', type: 'lay', item: 'item/sword.1' } },
    { t: 'send', to: 'room/armory', msg: { id: 'd1.3', type: 'drop', player: 'player/zed', item: corpse, quiet: true } },
    { t: 'send', to: 'room/armory', msg: { id: 'd1.4', type: 'exit', player: 'player/zed', name: 'Zed', dir: null, to: 'room/mystical_plaza', fromDir: null } },
  ];
  const records = new Map([
    ['player/zed', { state: { room: 'room/armory', inventory: [], wielded: null }, recent: [['d1', sends, 1000]] }],
    ['room/armory', { state: { contents: ['item/chest', 'item/weapons_rack'], occupants: [] }, recent: [] }],
    ['item/chest', { state: { open: true, locked: false, contents: ['item/sword.2', 'item/magic_sword'] }, recent: [] }],
  ]) as unknown as Awaited<ReturnType<typeof readRecords>>;
  return { records, corpse };
}

describe('stranded items', () => {
  it('audit - a transfer held past its sender\'s window (its answer never came: world/core/outbox-hold.ts) is found, and one its target holds past its window is applied', () => {
    const receive = { t: 'send', to: 'player/zed', msg: { id: 'x-9.1.1', type: 'receive', item: 'item/sword.1', text: 'You take it.', actor: 'player/zed' } };
    const full = Array.from({ length: 16 }, (_, i) => [`later-${i}`, [], 2000 + i]);
    const records = new Map([
      ['item/chest', { state: { open: true, locked: false, contents: ['item/sword.2', 'item/magic_sword'] }, recent: full, held: [['x-9.1', [receive], 1000, 'gw', 3]] }],
      ['player/zed', { state: { room: 'room/armory', inventory: [], wielded: null }, recent: [] }],
    ]) as unknown as Awaited<ReturnType<typeof readRecords>>;
    expect(strandedTransfers(records, DEFAULT.definition).resend.map((r) => [r.to, r.msg.id, r.item])).toEqual([['player/zed', 'x-9.1.1', 'item/sword.1']]);
    // Zed applied it and holds its entry past his own window: not delivered again (and the sword is his anyway).
    records.set('player/zed', { state: { room: 'room/armory', inventory: ['item/sword.1'], wielded: null }, recent: full, held: [['x-9.1.1', [], 1001, 'gw', 4]] } as never);
    expect(strandedTransfers(records, DEFAULT.definition)).toEqual({ resend: [], unresolved: [] });
  });

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
      ['room/lantern_market', { state: { contents: [copy, 'item/apple.2', 'item/apple.3', 'item/lantern', 'item/pell'] }, recent: [['t1k1', [born], 1000]] }],
      ['player/zed', { state: { inventory: ['item/apple.1'] }, recent: [] }],
    ]) as unknown as Awaited<ReturnType<typeof readRecords>>;
    const { resend, unresolved } = strandedTransfers(records, world.definition);
    expect(resend.map((r) => [r.to, r.msg.type, r.item])).toEqual([[copy, 'spawned', copy]]);
    expect(unresolved).toEqual([]);
    // Once the copy has its record, there is nothing to do.
    records.set(copy, { state: {}, recent: [['t1k1.1', [], 1001]] } as never);
    expect(strandedTransfers(records, world.definition).resend).toEqual([]);
  });

  it('audit - a fallen player\'s things are traced to the unapplied messages laying them in the corpse; a crumbled corpse its room still lists gets its crumble again', async () => {
    const world = await loadLiveWorld(DEFAULT_WORLD);
    const corpse = 'item/corpse-zed-k0ffee';
    const lay = { t: 'send', to: corpse, msg: { id: 'd1.2', type: 'lay', item: 'item/sword.1' } };
    const drop = { t: 'send', to: 'room/armory', msg: { id: 'd1.3', type: 'drop', player: 'player/zed', item: corpse, quiet: true } };
    const records = new Map([
      ['player/zed', { state: { inventory: [] }, recent: [['d1', [lay, drop], 1000]] }],
      ['room/armory', { state: { contents: ['item/chest', 'item/weapons_rack', corpse] }, recent: [['d1.3', [], 1001]] }],
      [corpse, { state: { open: true, contents: [] }, recent: [] }],
      ['item/chest', { state: { open: true, locked: false, contents: ['item/sword.2', 'item/magic_sword'] }, recent: [] }],
    ]) as unknown as Awaited<ReturnType<typeof readRecords>>;
    const stranded = strandedTransfers(records, world.definition);
    expect(stranded.resend.map((r) => [r.to, r.msg.type, r.item])).toEqual([[corpse, 'lay', 'item/sword.1']]);
    expect(stranded.unresolved).toEqual([]);
    // Laid: nothing to do; the corpse's contents count as its holding.
    records.set(corpse, { state: { open: true, contents: ['item/sword.1'] }, recent: [['d1.2', [], 1002]] } as never);
    expect(strandedTransfers(records, world.definition)).toEqual({ resend: [], unresolved: [] });
    // Crumbled: the sword went to the room, but the room never let the corpse go.
    const loot = { t: 'send', to: 'room/armory', msg: { id: 'k9.1', type: 'loot', item: 'item/sword.1', from: corpse, quiet: true } };
    const crumble = { t: 'send', to: 'room/armory', msg: { id: 'k9.2', type: 'crumble', item: corpse } };
    records.set(corpse, { state: { open: true, contents: [], decayed: true }, recent: [['k9', [loot, crumble], 1003]] } as never);
    records.set('room/armory', { state: { contents: ['item/chest', 'item/weapons_rack', corpse, 'item/sword.1'] }, recent: [['k9.1', [], 1004]] } as never);
    const after = strandedTransfers(records, world.definition);
    expect(after.resend.map((r) => [r.to, r.msg.type, r.item])).toEqual([['room/armory', 'crumble', corpse]]);
    expect(after.unresolved).toEqual([]);
  });

  it('audit - a corpse a crash left unborn (none of its death\'s messages landed) is born, filled and dropped again', () => {
    const { records, corpse } = unbornCorpse();
    const stranded = strandedTransfers(records, DEFAULT.definition);
    // The lay alone would make the corpse's record, and leave it with no room to lie in and no decay.
    const sent = (r: typeof stranded) => r.resend.map((x) => `${x.msg.type} ${x.item} to ${x.to}`).sort();
    expect(sent(stranded)).toEqual([`drop ${corpse} to room/armory`, `lay item/sword.1 to ${corpse}`, `spawned ${corpse} to ${corpse}`]);
    expect(stranded.unresolved).toEqual([]);
    // A second crash after the lay landed alone (a record now, no room, held by nobody): the same two again.
    records.set(corpse, { state: { open: true, contents: ['item/sword.1'] }, recent: [['d1.2', [], 1001]] } as never);
    expect(sent(strandedTransfers(records, DEFAULT.definition))).toEqual([`drop ${corpse} to room/armory`, `spawned ${corpse} to ${corpse}`]);
  });

  it('recovery - a corpse a crash left unborn lies in its room after the restart, with the fallen player\'s things in it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-strand-'));
    const { records, corpse } = unbornCorpse();
    const store = await FileStore.open(dir);
    for (const [key, value] of records) await store.put(key, value as unknown as Json);
    await store.close();
    await writeFile(join(dir, 'running'), '12345\n'); // killed right after the death's turn was written
    const server = await startTestServer({ dataDir: dir, nodes: 0 });
    expect(await conservationErrors(server.store, server.engine.currentWorld.definition)).toEqual([]);
    const body = (await server.store.get(corpse))!.value as { state: { room?: string; contents: string[]; decayTimer?: string } };
    expect(body.state).toMatchObject({ room: 'room/armory', contents: ['item/sword.1'] });
    expect(typeof body.state.decayTimer).toBe('string');
    await server.cleanup();
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
