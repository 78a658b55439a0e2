// Money, in every dispatch mode: a slain creature drops the coins its world file
// gives it (and has them again when it comes back), players pick them up, drop
// them, hand them over, and lose them to their corpse when they fall. The coin
// audit (ops/coin-audit.ts) finds every coin the world made held by someone.
import { describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { worldDirFor } from './helpers/world-dir.js';
import { MODES, say, heard } from './helpers/transcript.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';
import { worldFiles } from './helpers/world-files.js';
import { parseCommand } from '../world/commands/commands.js';
import { coinLedger } from '../ops/coin-audit.js';
import { readRecords } from '../ops/item-audit.js';

const ANN = 'player/ann';
const BOB = 'player/bob';

const VAULT = `
world: { name: Vault, start: gate }
rooms:
  gate:
    name: The Gate
    description: Safe ground.
    exits: { north: pit }
    items: [rat, rock]
  pit:
    name: The Pit
    description: Sand and old blood.
    exits: { south: gate }
    items: [ogre]
items:
  rat: { kind: npc, name: a rat, keywords: [rat], description: Small., hp: 1, damage: 0, coins: 7, respawn: 1 }
  ogre: { kind: npc, name: a huge ogre, keywords: [ogre], description: Enormous., hp: 1000, damage: 400, respawn: 1 }
  rock: { kind: item, name: a rock, keywords: [rock], description: Grey., takeable: false }
  corpse: { kind: corpse, name: a corpse, keywords: [corpse, body], description: Still., decay: 1h }
`;

describe('coins', () => {
  const worldDir = worldDirFor(VAULT, 'mud-coins-');

  for (const [mode, nodes] of MODES) {
    it(`coins - ${mode}: a creature drops its coins, players pick up, drop and give them, a corpse holds them; none made or lost`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: worldDir() });
      try {
        await h.engine.connect(ANN);
        await h.engine.connect(BOB);
        expect(await say(h, 'gold')).toBe('You have no coins.');
        expect(await say(h, 'attack rat')).toContain('It collapses, dead.');
        await waitUntil(() => heard(h, /7 gold coins fall from a rat\./), 5_000, () => 'the rat dropped no coins');
        expect(await say(h, 'look')).toContain('7 gold coins lie on the ground.');
        expect(await say(h, 'get 3 coins')).toBe('You pick up 3 gold coins.');
        expect(await say(h, 'get 9 coins')).toBe('There are only 4 coins here.');
        expect(await say(h, 'get coins')).toBe('You pick up 4 gold coins.');
        expect(await say(h, 'gold')).toBe('You have 7 gold coins.');
        expect(await say(h, 'score')).toContain('Gold: 7 gold coins');
        expect(await say(h, 'get coins')).toBe('There are no coins here.');

        expect(await say(h, 'drop 2 coins')).toBe('You drop 2 gold coins.');
        expect(await say(h, 'get all', BOB)).toBe('You pick up 2 gold coins.');
        expect(await say(h, 'give 4 coins to bob')).toBe('You give 4 gold coins to Bob.');
        expect(await say(h, 'gold', BOB)).toBe('You have 6 gold coins.');
        expect(await say(h, 'give 9 coins to bob')).toBe('You have only a gold coin.');
        expect(await say(h, 'give 1 coin to carl')).toBe('You don\'t see "carl" here.');
        expect(await say(h, 'give a coin to rock')).toBe("You can't give coins to a rock.");
        expect(await say(h, 'gold')).toBe('You have a gold coin.');

        // It comes back with a full purse: 7 more coins made, and counted.
        await waitUntil(async () => /collapses, dead/.test(await say(h, 'attack rat', BOB)), 10_000, () => 'the rat never came back');
        await waitUntil(() => heard(h, /7 gold coins fall from a rat\./, BOB), 5_000, () => 'no coins the second time');
        expect(await say(h, 'get coins', BOB)).toBe('You pick up 7 gold coins.');
        await h.engine.quiesce();
        expect(coinLedger(await readRecords(h.store), h.world.definition)).toEqual({ minted: 14, held: 14 });
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);

        // Bob falls: his 13 coins lie in his corpse; Ann takes them with everything else.
        await say(h, 'north', BOB);
        expect(await say(h, 'attack ogre', BOB)).toContain('Everything goes dark');
        expect(await say(h, 'gold', BOB)).toBe('You have no coins.');
        await say(h, 'north');
        await waitUntil(async () => /It holds 13 gold coins\./.test(await say(h, 'look corpse')), 5_000, () => 'the corpse does not hold the coins');
        expect(await say(h, 'get all from corpse')).toBe('You take 13 gold coins from the corpse of Bob.');
        expect(await say(h, 'gold')).toBe('You have 14 gold coins.');
        await h.engine.quiesce();
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 60_000);
  }

  it('coins - the words for money parse; a thing called gold-something is still a thing', () => {
    const world = (line: string) => {
      const p = parseCommand(line);
      return p.ok && p.scope === 'world' ? p.command : p.ok ? p : p.error;
    };
    expect(world('get coins')).toEqual({ verb: 'takeCoins' });
    expect(world('get 10 gold coins')).toEqual({ verb: 'takeCoins', amount: 10 });
    expect(world('get all coins from corpse')).toEqual({ verb: 'takeCoins', from: { words: ['corpse'], n: 1 } });
    expect(world('drop a coin')).toEqual({ verb: 'dropCoins', amount: 1 });
    expect(world('drop gold')).toEqual({ verb: 'dropCoins' });
    expect(world('give 5 coins to bob')).toEqual({ verb: 'giveCoins', amount: 5, to: { words: ['bob'], n: 1 } });
    expect(world('drop 0 coins')).toBe('How many coins? (usage: drop <thing | all | all.thing>)');
    expect(world('give 9999999999 coins to bob')).toMatch(/^Nobody has that many coins\./);
    expect(world('drop gold ring')).toEqual({ verb: 'drop', target: { words: ['gold', 'ring'], n: 1 } });
  });

  it('world check - a creature\'s coins are a whole number of them', async () => {
    const files = worldFiles();
    const check = async (coins: string) =>
      (await files.check({ 'world.yaml': `world: { name: W, start: a }\nrooms:\n  a: { name: A, description: A., items: [rat] }\nitems:\n  rat: { kind: npc, name: a rat, description: Small., hp: 1, coins: ${coins} }\n` })).errors;
    expect(await check('12')).toEqual([]);
    expect((await check('-3'))[0]).toMatch(/coins/);
    expect((await check('2.5'))[0]).toMatch(/coins/);
    expect((await check('lots'))[0]).toMatch(/coins/);
    await files.cleanup();
  });
});
