// `mud restore`'s audit of a backup, before anything is written: items held once, and every coin the world made
// held by someone or on its way (the same ledger crash recovery keeps, ops/coin-audit.ts).
import { describe, expect, it } from 'vitest';
import { auditEntries } from '../bin/restore.js';
import type { BackupEntry } from '../bin/backup-file.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { Json } from '../world/core/types.js';

/** A record as a store holds one: its state and an empty window. */
const entry = (key: string, state: Json): BackupEntry => ({ key, value: { state, recent: [] } as Json } as BackupEntry);

describe('restore audit', () => {
  it('counts the coins a backup holds, and refuses one whose coins were made from nothing or lost', async () => {
    const world = (await loadLiveWorld(DEFAULT_WORLD)).definition;
    // Untouched creatures keep the purses the world made them with: a backup of no records balances.
    const empty = auditEntries([], world);
    expect(empty.problems).toEqual([]);
    expect(empty.coins).toBeGreaterThan(0);
    // The rat's 3 coins went to Ann: still balanced.
    const moved = auditEntries([entry('item/hedge_rat', { coins: 0 }), entry('player/ann', { room: 'room/mystical_plaza', inventory: [], wielded: null, coins: 3 })], world);
    expect(moved.problems).toEqual([]);
    expect(moved.coins).toBe(empty.coins);
    // Ann holds 5 more than any purse gave: made from nothing.
    const forged = auditEntries([entry('item/hedge_rat', { coins: 0 }), entry('player/ann', { room: 'room/mystical_plaza', inventory: [], wielded: null, coins: 8 })], world);
    expect(forged.problems).toEqual([expect.stringMatching(/coins: 5 more held than the world made/)]);
    // The rat's coins went nowhere, and no message carries them: lost.
    const lost = auditEntries([entry('item/hedge_rat', { coins: 0 })], world);
    expect(lost.problems).toEqual([expect.stringMatching(/coin/)]);
  });
});
