// Many players issue random commands while the dispatch mode is switched at
// random moments: every item exists exactly once, no command is lost or run
// twice (each emote's unique token reaches its author exactly once), and every
// command is answered.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { World } from '../world/core/world.js';
import { parseModeSpec } from '../modes/parse-modes.js';

const COMMANDS = [
  'look', 'east', 'west', 'north', 'south', 'up', 'down', 'open chest', 'close chest', 'take sword from chest',
  'take 2.sword from chest', 'take magic_sword from chest', 'put sword in chest', 'drop sword', 'take sword', 'take key',
  'drop key', 'take apple', 'drop apple', 'inventory', 'wield sword', 'unwield', 'say hi', 'look chest', 'take coin from strongbox',
  'unlock strongbox', 'open strongbox', 'put apple in chest', 'take apple from chest',
  // Hand-overs of many things at once, and between players (issue #13).
  'get all', 'drop all', 'get all from chest', 'give apple to p1', 'give sword to p0', 'look in chest',
];
const MODES = ['in-process', 'actor', 'function', 'room=function,default=actor', 'item=in-process,default=function'];

// Every run gets fresh nodes and a fresh store; the world as loaded (read-only to turns) is shared.
let world: World;
beforeAll(async () => {
  world = await loadLiveWorld(DEFAULT_WORLD);
});

const playerScript = fc.array(fc.oneof(fc.constantFrom(...COMMANDS), fc.constant('EMOTE')), { minLength: 5, maxLength: 25 });

describe('live switch under random play', () => {
  it('property - conservation, exactly-once and a reply for every command across random switches', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(playerScript, { minLength: 2, maxLength: 5 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.constantFrom(...MODES)), { minLength: 1, maxLength: 6 }),
      async (scripts, switches) => {
        const h = await engineHarness({ dispatch: 'in-process', nodes: 2, world });
        try {
          const players = scripts.map((_, i) => `player/p${i}`);
          await Promise.all(players.map((p) => h.engine.connect(p)));
          let token = 0;
          const expected = new Map<string, string[]>();
          const play = async (p: string, script: string[]) => {
            for (const c of script) {
              const before = h.lines.get(p)?.length ?? 0;
              if (c === 'EMOTE') {
                const t = `tok${token++}x`;
                (expected.get(p) ?? expected.set(p, []).get(p)!).push(t);
                await h.type(p, `emote says ${t}`);
              } else await h.type(p, c);
              expect(h.lines.get(p)?.length ?? 0, `${p}: ${c} got no reply`).toBeGreaterThan(before);
            }
          };
          const switcher = async () => {
            for (const [delay, mode] of switches) {
              await new Promise((r) => setTimeout(r, delay));
              await h.engine.switchTo(parseModeSpec(mode));
            }
          };
          await Promise.all([...players.map((p, i) => play(p, scripts[i])), switcher()]);
          await Promise.all(players.map((p) => h.engine.disconnect(p)));
          expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
          for (const [p, tokens] of expected) {
            const text = h.lines.get(p)!.join('\n');
            for (const t of tokens) expect(text.split(t).length - 1, `${p} saw ${t}`).toBe(1);
          }
        } finally {
          await h.close();
        }
      },
    ), { numRuns: 12 });
  }, 120_000);
});
