// The coin audit over stored records: coins made by the world's sources against
// coins held, and after a crash the coin messages to deliver again (only those
// their receiver provably never applied, and only as many as make up the shortfall).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../world/files/world-loader.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { StoredRecord } from '../ops/item-audit.js';
import { coinErrors, coinLedger, strandedCoins } from '../ops/coin-audit.js';

const WORLD = `world: { name: W, start: a }
rooms:
  a: { name: A, description: A., items: [rat, cat] }
items:
  rat: { kind: npc, name: a rat, description: Small., hp: 1, coins: 7 }
  cat: { kind: npc, name: a cat, description: Small., hp: 1 }
`;

describe('coin audit', () => {
  let dir: string;
  let world: WorldDefinition;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-coin-audit-'));
    await writeFile(join(dir, 'world.yaml'), WORLD);
    const loaded = await loadWorld(dir);
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    world = loaded.world;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const send = (to: string, id: string, coins: number) => ({ t: 'send' as const, to, msg: { id, type: 'coins', coins } });

  it('coin audit - an untouched creature holds its purse; a refilled one counts what it was given again', () => {
    expect(coinLedger(new Map(), world)).toEqual({ minted: 7, held: 7 });
    const records = new Map<string, StoredRecord>([
      ['item/rat', { state: { coins: 7, minted: 7 } }],
      ['room/a', { state: { coins: 4 } }],
      ['player/ann', { state: { coins: 2, trade: { mine: { items: [], coins: 1 } } } }],
    ]);
    expect(coinLedger(records, world)).toEqual({ minted: 14, held: 14 });
    records.set('room/a', { state: { coins: 5 } });
    expect(coinErrors(records, world)).toEqual(['coins: 14 made by the world, 15 held (made from nothing: 1)']);
  });

  it('coin audit - a coin message its receiver never applied is delivered again; one it applied is not', () => {
    const records = new Map<string, StoredRecord>([
      ['item/rat', { state: { coins: 0 } }],
      ['player/ann', { state: { coins: 2 }, recent: [['m1', [send('room/a', 'm1.1', 3)], 100], ['m2', [send('player/bob', 'm2.1', 2)], 200]] }],
      ['player/bob', { state: { coins: 2 }, recent: [['m2.1', [], 210]] }],
    ]);
    expect(coinErrors(records, world)).toEqual(['coins: 7 made by the world, 4 held (lost: 3)']);
    expect(strandedCoins(records, world)).toEqual({ resend: [{ to: 'room/a', msg: { id: 'm1.1', type: 'coins', coins: 3 } }], unresolved: [] });
  });

  it('coin audit - a receiver whose window has moved past the send might have applied it: not sent again, reported', () => {
    const full = Array.from({ length: 16 }, (_, i) => [`x${i}`, [], 500 + i] as [string, [], number]);
    const records = new Map<string, StoredRecord>([
      ['item/rat', { state: { coins: 0 } }],
      ['player/ann', { state: { coins: 4 }, recent: [['m1', [send('room/a', 'm1.1', 3)], 100]] }],
      ['room/a', { state: {}, recent: full }],
    ]);
    expect(strandedCoins(records, world)).toEqual({ resend: [], unresolved: ['coins: 3 missing, messages found for 0'] });
  });
});
