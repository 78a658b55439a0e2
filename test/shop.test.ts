// Shops, in every dispatch mode: a shopkeeper lists its stock, sells for the
// thing's value (the coins and the thing change hands in one turn of the buyer),
// buys for half from its till, says what a thing would fetch, and restocks what
// it sold on its own timer with new copies, and, full (`holds`), hands back what it has no room for.
// Every item exists once, every coin is counted.
import { describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { worldDirFor } from './helpers/world-dir.js';
import { MODES, say } from './helpers/transcript.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';
import { worldFiles } from './helpers/world-files.js';

const BOB = 'player/bob';

const MARKET = `
world: { name: Market, start: street }
rooms:
  street:
    name: The Street
    description: Busy.
    exits: { east: stall }
    items: [rat, scale, pebble, shell]
  stall:
    name: The Stall
    description: Shelves to the ceiling.
    exits: { west: street }
    items: [marda]
items:
  rat: { kind: npc, name: a rat, keywords: [rat], description: Small., hp: 1, damage: 0, coins: 20, respawn: never }
  marda: { kind: npc, name: Marda the trader, keywords: [marda, trader], description: Shrewd., hp: 10, shop: true, coins: 5, restock: 1, holds: 4, contents: [lamp, bread] }
  lamp: { kind: item, name: a brass lamp, keywords: [lamp, brass], description: Bright., value: 8 }
  bread: { kind: item, name: a loaf of bread, keywords: [bread, loaf], description: Fresh., value: 3 }
  scale: { kind: item, name: a glowing scale, keywords: [scale, glowing], description: Warm., value: 10, respawn: never }
  pebble: { kind: item, name: a pebble, keywords: [pebble], description: Round., respawn: never }
  shell: { kind: item, name: a spiral shell, keywords: [shell, spiral], description: Pink., value: 2, respawn: never }
`;

describe('shop', () => {
  const worldDir = worldDirFor(MARKET, 'mud-shop-');

  for (const [mode, nodes] of MODES) {
    it(`shop - ${mode}: list, buy, sell, value; restocked with new copies; items once, coins counted`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: worldDir() });
      try {
        await h.engine.connect('player/ann');
        await h.engine.connect(BOB);
        expect(await say(h, 'list')).toBe('There is no shop here.');
        expect(await say(h, 'attack rat')).toContain('collapses, dead');
        await waitUntil(async () => /You pick up 20 gold coins\./.test(await say(h, 'get all')), 5_000, () => 'no coins from the rat');
        await say(h, 'east');
        await say(h, 'east', BOB);
        expect(await say(h, 'list')).toBe('Marda the trader sells:\n  a brass lamp: 8 gold coins\n  a loaf of bread: 3 gold coins\nType "buy <thing>" to buy, "sell <thing>" to sell, "value <thing>" to ask what it would fetch.');
        expect(await say(h, 'buy bread', BOB)).toBe('A loaf of bread costs 3 gold coins; you have none.');
        expect(await say(h, 'buy lamp')).toBe('You buy a brass lamp from Marda the trader for 8 gold coins.');
        expect(await say(h, 'gold')).toBe('You have 12 gold coins.');
        expect(await say(h, 'inventory')).toContain('a brass lamp');
        expect(await say(h, 'buy lamp')).toBe('Marda the trader has no "lamp" for sale.');
        expect(await say(h, 'attack marda')).toBe('Marda the trader is not someone you can fight.');

        expect(await say(h, 'value pebble')).toBe('Marda the trader has no use for a pebble.');
        expect(await say(h, 'sell pebble')).toBe('Marda the trader has no use for a pebble.');
        expect(await say(h, 'value scale')).toBe('Marda the trader would pay 5 gold coins for a glowing scale.');
        expect(await say(h, 'sell scale')).toBe('You sell a glowing scale to Marda the trader for 5 gold coins.');
        expect(await say(h, 'inventory')).toMatch(/a pebble/);
        expect(await say(h, 'gold')).toBe('You have 17 gold coins.');
        // Her till had 5 and 8 from the lamp: 13, less 5 for the scale. The lamp comes back as a new copy.
        await waitUntil(async () => /a brass lamp: 8 gold coins/.test(await say(h, 'list', BOB)), 10_000, () => 'the lamp was never restocked');
        expect(await say(h, 'list', BOB)).toContain('a glowing scale: 10 gold coins');
        expect(await say(h, 'sell lamp')).toBe('You sell a brass lamp to Marda the trader for 4 gold coins.');
        expect(await say(h, 'sell pebble')).toBe('Marda the trader has no use for a pebble.');
        // She holds 4 (bread, scale, two lamps), all she `holds`: the shell comes back with the reason.
        expect(await say(h, 'sell shell')).toBe('Marda the trader has no room for more.');
        expect(await say(h, 'inventory')).toMatch(/a spiral shell/);
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
        expect(await say(h, 'buy 2.lamp')).toBe('You buy a brass lamp from Marda the trader for 8 gold coins.');
        expect(await say(h, 'gold')).toBe('You have 13 gold coins.');
        expect(await say(h, 'sell shell')).toBe('You sell a spiral shell to Marda the trader for a gold coin.');
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);
  }

  it('world check - a shop\'s stock has prices; restock belongs to shops; a shopkeeper is never fought', async () => {
    const files = worldFiles();
    const check = async (yaml: string) => {
      const { world, errors } = await files.check({ 'world.yaml': `world: { name: W, start: a }\nrooms:\n  a: { name: A, description: A., items: [keeper] }\nitems:\n${yaml}` });
      return world ? world.items['item/keeper'].props : errors.map((e) => e.replace(/^\S+ /, ''));
    };
    const keeper = (extra: string) => `  keeper: { kind: npc, name: a keeper, description: K., hp: 5, contents: [cup]${extra} }\n  cup: { kind: item, name: a cup, description: C.%CUP% }\n`;
    expect(await check(keeper(', shop: true, restock: 2m').replace('%CUP%', ', value: 4'))).toMatchObject({ shop: true, peaceful: true, restock: 120 });
    expect(await check(keeper(', shop: true').replace('%CUP%', ''))).toEqual(["item 'cup' is stock of shop 'keeper', so it needs a value (its price)"]);
    expect(await check(keeper(', restock: 2m').replace('%CUP%', ''))).toEqual(["creature 'keeper' has a restock but is no shop (add shop: true)"]);
    expect(await check(keeper(', shop: true, holds: 3').replace('%CUP%', ', value: 4'))).toMatchObject({ shop: true, holds: 3 });
    expect(await check(keeper(', holds: 3').replace('%CUP%', ''))).toEqual(["creature 'keeper' has a holds but is no shop (add shop: true)"]);
    expect(await check(keeper(', shop: true').replace('%CUP%', ', value: 0'))).toContainEqual('items.cup.value must be between 1 and 1000000, got 0');
    await files.cleanup();
  });
});
