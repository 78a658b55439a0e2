// Random buying, selling, trading, giving, deaths and corpse-looting by several
// players, with random kills of nodes and live switches between modes: every
// item exists exactly once, the coins held add up to the coins the world made,
// no trade is left half-settled, and every trade is all or nothing (each side
// that saw a trade done is mirrored by its partner seeing the same trade done).
// Seeded: FC_SEED=<n> replays a run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { worldDirFor } from './helpers/world-dir.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';
import { parseModeSpec } from '../modes/parse-modes.js';
import { readRecords } from '../ops/item-audit.js';

const WORLD = `
world: { name: Fair, start: fair }
rooms:
  fair:
    name: The Fair
    description: Stalls and noise.
    exits: { north: pit }
    items: [rat, mouse, marda]
  pit:
    name: The Pit
    description: Sand and old blood.
    exits: { south: fair }
    items: [ogre]
items:
  rat: { kind: npc, name: a rat, keywords: [rat], description: Small., hp: 1, damage: 0, coins: 9, respawn: 1 }
  mouse: { kind: npc, name: a mouse, keywords: [mouse], description: Smaller., hp: 1, damage: 0, coins: 4, respawn: 1, contents: [whisker] }
  ogre: { kind: npc, name: a huge ogre, keywords: [ogre], description: Enormous., hp: 100000, damage: 1000, respawn: 1 }
  marda: { kind: npc, name: Marda the trader, keywords: [marda], description: Shrewd., hp: 10, shop: true, coins: 20, restock: 1, contents: [bread, lamp] }
  bread: { kind: item, name: a loaf of bread, keywords: [bread, loaf], description: Fresh., value: 3 }
  lamp: { kind: item, name: a brass lamp, keywords: [lamp, brass], description: Bright., value: 8 }
  whisker: { kind: item, name: a whisker, keywords: [whisker], description: Fine., value: 2 }
  corpse: { kind: corpse, name: a corpse, keywords: [corpse], description: Still., decay: 1s }
`;

const PLAYERS = ['player/pa', 'player/pb', 'player/pc'];
const COMMANDS = [
  'attack rat', 'attack mouse', 'get all', 'get coins', 'buy bread', 'buy lamp', 'sell bread', 'sell lamp', 'sell whisker',
  'drop 2 coins', 'give 3 coins to pa', 'give 3 coins to pb', 'give bread to pc', 'trade pa', 'trade pb', 'trade pc',
  'offer bread', 'offer lamp', 'offer 2 coins', 'accept', 'accept', 'cancel', 'north', 'south', 'attack ogre', 'get all from corpse',
  'DEAL pa', 'DEAL pb', 'DEAL pc', 'DEAL pa', 'DEAL pb', 'DEAL pc',
];

/** A whole trade with a partner, each side's steps typed by its own player, amid everyone else's commands. */
const deal = (me: string, partner: string): Array<[string, string]> => [
  [me, `trade ${partner.slice('player/'.length)}`], [me, 'offer 1 coin'], [me, 'offer bread'], [partner, 'offer 1 coin'], [partner, 'offer lamp'], [me, 'accept'], [partner, 'accept'],
];
const MODES = ['in-process', 'actor', 'function', 'room=function,default=actor', 'player=function,default=actor'];
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 1_000_000;

type Chaos = { delay: number; what: 'switch' | 'kill'; mode: string };

describe('the economy under chaos', () => {
  const worldDir = worldDirFor(WORLD, 'mud-fair-');

  it('property - random purchases, sales, trades, gifts and deaths with node kills and switches conserve items and coins; trades all or nothing', async () => {
    console.log(`economy property seed: ${SEED} (replay with FC_SEED=${SEED})`);
    let trades = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(fc.constantFrom(...COMMANDS), { minLength: 8, maxLength: 24 }), { minLength: PLAYERS.length, maxLength: PLAYERS.length }),
      fc.array(fc.record({ delay: fc.integer({ min: 0, max: 300 }), what: fc.constantFrom('switch', 'kill'), mode: fc.constantFrom(...MODES) }), { maxLength: 4 }),
      async (scripts, chaos: Chaos[]) => {
        const h = await engineHarness({ dispatch: 'actor', nodes: 2, worldDir: worldDir() });
        try {
          await Promise.all(PLAYERS.map((p) => h.engine.connect(p)));
          const play = async (p: string, script: string[]) => {
            for (const c of script) {
              const partner = c.startsWith('DEAL ') ? `player/${c.slice(5)}` : undefined;
              if (!partner) await h.type(p, c);
              else if (partner !== p) for (const [who, line] of deal(p, partner)) await h.type(who, line);
            }
          };
          const chaotic = async () => {
            for (const step of chaos) {
              await new Promise((r) => setTimeout(r, step.delay));
              if (step.what === 'switch') await h.engine.switchTo(parseModeSpec(step.mode));
              else {
                const [victim] = h.setup.lattice!.nodes();
                if (victim) await h.setup.lattice!.removeNode(victim, 'kill');
              }
            }
          };
          await Promise.all([...PLAYERS.map((p, i) => play(p, scripts[i])), chaotic()]);
          await Promise.all(PLAYERS.map((p) => h.engine.disconnect(p)));
          await h.engine.quiesce();
          // No trade is left mid-settlement (a preparer asks again on its timer until it hears).
          await waitUntil(async () => [...(await readRecords(h.store)).values()].every((r) => !(r.state?.trade as { settling?: string } | null | undefined)?.settling),
            20_000, () => 'a trade stayed mid-settlement');
          // Coins and items in flight (a corpse crumbling, a shop restocking) land: bounded, a lost one never does.
          await waitUntil(async () => (await conservationErrors(h.store, h.world.definition)).length === 0, 10_000, () => 'still in flight').catch(() => undefined);
          expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
          // All or nothing: every "done" one side saw, its partner saw too.
          const done = (who: string, other: string) => (h.lines.get(who) ?? []).filter((l) => l.startsWith(`The trade with ${other} is done`)).length;
          for (const a of PLAYERS) {
            for (const b of PLAYERS) {
              if (a === b) continue;
              const [na, nb] = [a, b].map((r) => r.charAt('player/'.length).toUpperCase() + r.slice('player/'.length + 1));
              expect(done(a, nb), `${a} and ${b}`).toBe(done(b, na));
              trades += done(a, nb);
            }
          }
        } finally {
          await h.close();
        }
      },
    ), { numRuns: 5, seed: SEED });
    console.log(`economy property: ${trades / 2} trades done`);
  }, 300_000);
});
