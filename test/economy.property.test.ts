// Random buying, selling, trading, giving, deaths and corpse-looting by several
// players, with random kills of nodes and live switches between modes: every
// item exists exactly once, the coins held add up to the coins the world made,
// no trade is left half-settled, and every trade is all or nothing (each side
// that saw a trade done is mirrored by its partner seeing the same trade done).
// Gateway processes killed -9 mid-play: test/economy-gateways.property.test.ts.
// Seeded: FC_SEED=<n> replays a run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { worldDirFor } from './helpers/world-dir.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';
import { parseModeSpec } from '../modes/parse-modes.js';
import { readRecords } from '../ops/item-audit.js';
import { FAIR_WORLD, deal, fairCommands } from './helpers/fair-economy.js';

const PLAYERS = ['player/pa', 'player/pb', 'player/pc'];
const NAMES = PLAYERS.map((p) => p.slice('player/'.length));
const COMMANDS = fairCommands(NAMES);
const MODES = ['in-process', 'actor', 'function', 'room=function,default=actor', 'player=function,default=actor'];
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 1_000_000;

type Chaos = { delay: number; what: 'switch' | 'kill'; mode: string };

describe('the economy under chaos', () => {
  const worldDir = worldDirFor(FAIR_WORLD, 'mud-fair-');

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
              const partner = c.startsWith('DEAL ') ? c.slice(5) : undefined;
              const me = p.slice('player/'.length);
              if (!partner) await h.type(p, c);
              else if (partner !== me) for (const [who, line] of deal(me, partner)) await h.type(`player/${who}`, line);
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
