// Generated builder scripts send random messages, of every type the protocol
// table knows and some it does not, to random refs, with random fields, while
// players play: every item exists exactly once, no player is moved or made to
// speak by a script, and every command is answered. Seeded: the seed is printed
// and SCRIPT_PROPERTY_SEED=<n> runs it again.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../support/paths.js';
import { PROTOCOL } from '../world/core/protocol.js';
import { engineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';

const PLAYERS = ['player/p0', 'player/p1', 'player/p2', 'player/p3'];
const TYPES = [...Object.keys(PROTOCOL), 'ring', 'pull'];
const TARGETS = ['SELF', ...PLAYERS, 'room/mystical_plaza', 'room/armory', 'item/chest', 'item/fountain', 'item/sword.1', 'item/magic_sword', 'item/weapons_rack'];
const ITEMS = ['item/sword.1', 'item/sword.2', 'item/magic_sword', 'item/apple.1', 'item/chest'];
const HOOKS = ['enter', 'exit', 'say', 'emote', 'look', 'examine', 'open', 'close', 'ring', 'pull', 'take', 'give', 'accept'];
const COMMANDS = [
  'look', 'open chest', 'close chest', 'take sword from chest', 'take runed sword from chest', 'put sword in chest', 'drop sword',
  'take sword', 'inventory', 'wield sword', 'unwield', 'say hi', 'emote waves', 'look chest', 'look fountain', 'take 2.sword from chest',
];

/** One thing a hook does: a message (fields picked at random) or a line of text. */
const act = fc.oneof(
  fc.record({
    t: fc.constant('send'), type: fc.nat(TYPES.length - 1), to: fc.nat(TARGETS.length - 1),
    player: fc.integer({ min: -1, max: PLAYERS.length - 1 }), item: fc.nat(ITEMS.length - 1),
    action: fc.nat(TYPES.length - 1), fields: fc.subarray(['player', 'item', 'target', 'action', 'text', 'verb', 'dir', 'room', 'to', 'players']),
  }),
  fc.record({ t: fc.constant('tell'), to: fc.nat(PLAYERS.length - 1) }),
  fc.record({ t: fc.constant('tellRoom') }),
);
const scriptSpec = fc.dictionary(fc.constantFrom(...HOOKS), fc.array(act, { maxLength: 4 }), { maxKeys: 6 });

/** A script from a spec. Types are looked up at run time, past the static check: the runtime must refuse them. */
function scriptOf(spec: Record<string, unknown[]>): string {
  const hooks = Object.keys(spec).map((h) => `function ${h}(state, msg, ctx) { for (const a of ACTS.${h}) act(a, msg, ctx); return { n: (state.n || 0) + 1 }; }`);
  return `const TYPES = ${JSON.stringify(TYPES)};
const TARGETS = ${JSON.stringify(TARGETS)};
const PLAYERS = ${JSON.stringify(PLAYERS)};
const ITEMS = ${JSON.stringify(ITEMS)};
const ACTS = ${JSON.stringify(spec)};
function act(a, msg, ctx) {
  if (a.t === 'tell') return ctx.tell(PLAYERS[a.to], 'A voice whispers.');
  if (a.t === 'tellRoom') return ctx.tellRoom(ctx.self, 'Something stirs.');
  const all = {
    player: a.player < 0 ? ctx.actor : PLAYERS[a.player], item: ITEMS[a.item], target: { words: ['sword'], n: 1 },
    action: { type: TYPES[a.action], item: ITEMS[a.item], text: 'I am a puppet' }, text: 'I am a puppet', verb: 'say',
    dir: 'east', room: 'room/armory', to: 'room/armory', players: true,
  };
  const body = { type: TYPES[a.type] };
  for (const f of a.fields) body[f] = all[f];
  ctx.send(TARGETS[a.to] === 'SELF' ? ctx.self : TARGETS[a.to], body);
}
${hooks.join('\n')}
`;
}

async function worldWith(plaza: Record<string, unknown[]>, armory: Record<string, unknown[]>, chest: Record<string, unknown[]>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mud-scripts-'));
  await cp(DEFAULT_WORLD, dir, { recursive: true });
  await writeFile(join(dir, 'scripts', 'mystical_plaza.js'), scriptOf(plaza));
  await writeFile(join(dir, 'scripts', 'armory.js'), scriptOf(armory));
  await writeFile(join(dir, 'scripts', 'chest.js'), scriptOf(chest));
  for (const [file, path] of [['rooms/armory.yaml', ['rooms', 'armory', 'script']], ['items/armory.yaml', ['items', 'chest', 'script']]] as const) {
    const doc = parseDocument(await readFile(join(dir, file), 'utf8'));
    doc.setIn([...path], path[1] === 'armory' ? '../scripts/armory.js' : '../scripts/chest.js');
    await writeFile(join(dir, file), doc.toString());
  }
  return dir;
}

/** The attacks of issue 10, always tried first: puppeting with cmd, minting with receive and through forward. */
const send = (type: string, to: string, fields: string[], item = 'item/magic_sword', action = 'receive') => ({
  t: 'send' as const, type: TYPES.indexOf(type), to: TARGETS.indexOf(to), player: -1, item: ITEMS.indexOf(item), action: TYPES.indexOf(action), fields,
});
const KNOWN_ATTACKS = {
  say: [send('cmd', 'player/p1', ['verb', 'text']), send('receive', 'player/p0', ['item', 'text'])],
  look: [send('forward', 'SELF', ['player', 'target', 'action', 'players'])],
};
const QUIET = { open: [], close: [] };

const SEED = Number(process.env.SCRIPT_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('scripts under the protocol table', () => {
  it('property - generated scripts sending random messages move no item twice and no player, while players play', async () => {
    console.log(`script protocol property: seed ${SEED} (SCRIPT_PROPERTY_SEED=${SEED} to run it again)`);
    await fc.assert(fc.asyncProperty(
      scriptSpec, scriptSpec, scriptSpec,
      fc.array(fc.array(fc.constantFrom(...COMMANDS), { minLength: 3, maxLength: 12 }), { minLength: PLAYERS.length, maxLength: PLAYERS.length }),
      fc.constantFrom('in-process', 'actor', 'function'),
      async (plaza, armory, chest, plays, dispatch) => {
        const dir = await worldWith(plaza, armory, chest);
        const h = await engineHarness({ dispatch, nodes: dispatch === 'in-process' ? 0 : 2, worldDir: dir });
        try {
          await Promise.all(PLAYERS.map((p) => h.engine.connect(p)));
          for (const p of PLAYERS.slice(2)) await h.type(p, 'east');
          await h.engine.quiesce();
          const rooms = new Map(PLAYERS.map((p, i) => [p, i < 2 ? 'room/mystical_plaza' : 'room/armory']));
          const heardBefore = new Map(PLAYERS.map((p) => [p, h.lines.get(p)?.length ?? 0]));
          await Promise.all(PLAYERS.map(async (p, i) => {
            for (const c of plays[i]) {
              const before = h.lines.get(p)?.length ?? 0;
              await h.type(p, c);
              expect(h.lines.get(p)?.length ?? 0, `${p}: ${c} got no reply`).toBeGreaterThan(before);
            }
          }));
          await h.engine.quiesce();
          expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
          for (const p of PLAYERS) {
            const record = (await h.store.get(p))!.value as { state: { room: string } };
            expect(record.state.room, `${p} was moved`).toBe(rooms.get(p));
            // No one comes or goes once play starts: a line saying so is a script moving a player.
            const heard = (h.lines.get(p) ?? []).slice(heardBefore.get(p)).join('\n');
            expect(heard, `${p} heard a puppet`).not.toMatch(/I am a puppet|leaves|arrives/);
          }
        } finally {
          await h.close();
          await rm(dir, { recursive: true, force: true });
        }
      },
    ), {
      numRuns: 10, seed: SEED,
      examples: [
        [KNOWN_ATTACKS, QUIET, QUIET, [['say hi', 'look'], ['look'], ['look'], ['look']], 'in-process'],
        // A chest whose script opens it again as it is shut, naming no player: its handler threw, and the `close
        // chest` behind it waited ten minutes on the retries (seed 991964404 found it; test/script-lever.test.ts).
        [QUIET, QUIET, { close: [send('open', 'SELF', [])] }, [['look'], ['look'], ['open chest', 'close chest', 'look chest'], ['look']], 'actor'],
      ],
    });
  }, 240_000);
});
