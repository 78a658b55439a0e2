// Trade between two players, in every dispatch mode: both sides' goods change
// hands, or neither's; a change of terms voids the acceptances; cancel and
// leaving give everything back; every item exists once and every coin is counted.
import { describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { worldDirFor } from './helpers/world-dir.js';
import { MODES, say, heard } from './helpers/transcript.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';

const ANN = 'player/ann';
const BOB = 'player/bob';
const CARL = 'player/carl';

export const BAZAAR = `
world: { name: Bazaar, start: square }
rooms:
  square:
    name: The Square
    description: Traders everywhere.
    exits: { north: lane }
    items: [rat, sword, apple, pear]
  lane:
    name: The Lane
    description: Quiet.
    exits: { south: square }
items:
  rat: { kind: npc, name: a rat, keywords: [rat], description: Small., hp: 1, damage: 0, coins: 30, respawn: never }
  sword: { kind: weapon, name: a steel sword, keywords: [sword, steel], description: Sharp., damage: 5, respawn: never }
  apple: { kind: item, name: a red apple, keywords: [apple, red], description: Shiny., respawn: never }
  pear: { kind: item, name: a pear, keywords: [pear], description: Ripe., respawn: never }
`;

describe('trade', () => {
  const worldDir = worldDirFor(BAZAAR, 'mud-trade-');

  for (const [mode, nodes] of MODES) {
    it(`trade - ${mode}: both sides move at once; a change voids acceptances; cancel gives back; items once, coins counted`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: worldDir() });
      try {
        for (const p of [ANN, BOB, CARL]) await h.engine.connect(p);
        await say(h, 'take sword');
        await say(h, 'take apple', BOB);
        await say(h, 'attack rat', BOB);
        await waitUntil(async () => /30 gold coins/.test(await say(h, 'get coins', BOB)), 5_000, () => 'no coins from the rat');

        expect(await say(h, 'accept')).toBe('You are not trading with anyone. (trade <player> starts one.)');
        expect(await say(h, 'trade dave')).toBe('You don\'t see "dave" here.');
        expect(await say(h, 'trade bob')).toBe('You start a trade with Bob: "offer <thing>" or "offer N coins", then "accept" (or "cancel").');
        expect(heard(h, /Ann wants to trade with you/, BOB)).toBe(true);
        expect(await say(h, 'trade ann', CARL)).toBe('Ann is busy.');
        expect(await say(h, 'accept')).toBe('Nothing is on the table yet: offer something first.');
        expect(await say(h, 'offer sword')).toBe('You offer a steel sword.');
        expect(heard(h, /^Ann now offers a steel sword\.$/, BOB)).toBe(true);
        expect(await say(h, 'inventory')).toBe('You are carrying nothing.');
        expect(await say(h, 'attack rat')).toBe('Finish your trade first (or cancel it).');
        expect(await say(h, 'offer apple', BOB)).toBe('You offer a red apple.');
        expect(await say(h, 'offer 50 coins', BOB)).toBe('You have only 30 gold coins.');
        expect(await say(h, 'offer 10 coins', BOB)).toBe('You offer a red apple and 10 gold coins.');
        expect(await say(h, 'accept')).toBe('You accept: a steel sword for a red apple and 10 gold coins.');
        // Bob adds to his side: Ann's acceptance no longer stands, and Bob's alone settles nothing.
        expect(await say(h, 'offer 5 coins', BOB)).toBe('You offer a red apple and 15 gold coins.');
        expect(heard(h, /^Bob now offers a red apple and 15 gold coins\. Your acceptance no longer stands\.$/)).toBe(true);
        expect(await say(h, 'accept', BOB)).toBe('You accept: a red apple and 15 gold coins for a steel sword.');
        expect(await say(h, 'trade')).toBe('Trading with Bob.\n  You offer: a steel sword.\n  Bob offers: a red apple and 15 gold coins.');
        const settled = await say(h, 'accept');
        expect(settled).toContain('The trade with Bob is done: you gave a steel sword and got a red apple and 15 gold coins.');
        expect(heard(h, /^The trade with Ann is done: you gave a red apple and 15 gold coins and got a steel sword\.$/, BOB)).toBe(true);
        expect(await say(h, 'inventory')).toBe('You are carrying:\n  a red apple');
        expect(await say(h, 'gold')).toBe('You have 15 gold coins.');
        expect(await say(h, 'inventory', BOB)).toBe('You are carrying:\n  a steel sword');
        expect(await say(h, 'gold', BOB)).toBe('You have 15 gold coins.');
        expect(await say(h, 'trade')).toBe('You are not trading with anyone. (trade <player> starts one.)');
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);

        // Called off: each side takes back what it put up.
        await say(h, 'trade ann', BOB);
        await say(h, 'offer 7 coins');
        await say(h, 'offer sword', BOB);
        expect(await say(h, 'cancel', BOB)).toBe('You call off the trade with Ann; you take back a steel sword.');
        expect(heard(h, /^Bob calls off the trade\. You take back 7 gold coins\.$/)).toBe(true);
        expect(await say(h, 'gold')).toBe('You have 15 gold coins.');
        expect(await say(h, 'inventory', BOB)).toBe('You are carrying:\n  a steel sword');

        // Leaving the game calls it off too.
        await say(h, 'trade carl');
        await say(h, 'offer apple');
        await h.engine.disconnect(CARL);
        await waitUntil(() => heard(h, /^Carl calls off the trade\. You take back a red apple\.$/), 5_000, () => 'the trade outlived Carl');
        expect(await say(h, 'inventory')).toBe('You are carrying:\n  a red apple');
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});
