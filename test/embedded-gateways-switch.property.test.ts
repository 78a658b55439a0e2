// Random live switches over `mud serve --gateways 2` (real processes, no NATS): players on both
// gateway processes carry items (take, drop, give to each other, the chest and its sword) while
// switches actor -> function -> actor and per-kind and per-object tables are issued through the
// admin API. After each run every item exists exactly once and every command got exactly one answer.
// As test/cluster-switch.test.ts's property over NATS; replay a run with FC_SEED=<the printed seed>.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './helpers/nats-server.js';
import { ADMIN_TOKEN, checkBuilt, CLOSED_LOOP_LIMITS, mudAdmin, status } from './helpers/nats-cluster.js';
import type { ServerProcess } from './helpers/server-process.js';
import { playerOn, spawnTwoGateways } from './helpers/embedded-gateways.js';
import { backupConservationErrors } from './helpers/conservation.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 120_000;
/** What a player does, each from the plaza back to it (so that players meet there to give): fetch things
 *  from the market, the garden or the armory's chest, put a sword back, hand everything to the next
 *  player, drop or pick up everything, or a lone command. */
const ERRANDS: Record<string, string[]> = {
  market: ['west', 'take apple', 'take lantern', 'east'],
  garden: ['south', 'take pebble', 'take key', 'north'],
  chest: ['east', 'open chest', 'take sword from chest', 'west'],
  stash: ['east', 'put sword in chest', 'west'],
  give: ['GIVE'],
  drop: ['drop all'],
  get: ['get all'],
  look: ['look'],
  inventory: ['inventory'],
  emote: ['EMOTE'],
};
/** Tables away from all-actor: each run switches to one of these first, then at random, and back to actor last. */
const AWAY = ['function', 'room=function,default=actor', 'item=function,default=actor', 'room/mystical_plaza=function', 'room=actor,default=function'];
const SEED = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);

describe('embedded gateways - random live switches while players on both gateways carry items', () => {
  let server: ServerProcess | undefined;
  let dir = '';
  const created = new Set<string>();

  beforeAll(async () => {
    checkBuilt();
    dir = await mkdtemp(join(tmpdir(), 'mud-embgw-switch-'));
    server = await spawnTwoGateways(['--nodes', '2', '--data-dir', dir, '--admin-token', ADMIN_TOKEN, ...CLOSED_LOOP_LIMITS]);
  }, SLOW);

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, SLOW);

  it('property - switches issued while both gateways play: every item once, every command answered exactly once', async () => {
    console.log(`embedded gateways switch property seed: ${SEED} (replay with FC_SEED=${SEED})`);
    const world = (await loadLiveWorld(DEFAULT_WORLD)).definition;
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(fc.constantFrom(...Object.keys(ERRANDS)), { minLength: 2, maxLength: 6 }), { minLength: 2, maxLength: 4 }),
      fc.constantFrom(...AWAY),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.constantFrom('actor', ...AWAY)), { maxLength: 2 }),
      async (scripts, away, more) => {
        run++;
        const names = scripts.map((_, i) => `swit${'abcdefghijklmnop'[run]}${'abcd'[i]}`);
        const players: TelnetClient[] = [];
        try {
          // Player i on gateway gw-1 or gw-2 in turn: each gateway has players, and each relays the others' lines.
          for (const [i, name] of names.entries()) players.push(await playerOn(server!, `gw-${(i % 2) + 1}`, name, created));
          let token = 0;
          /** One command, one answer: sent, then the next prompt's text (scripted logins get no prompt unasked). */
          const ask = async (p: TelnetClient, line: string): Promise<string> => {
            p.send(line);
            const reply = await p.nextAnswer(60_000);
            expect(reply, line).not.toMatch(/The world shudders/);
            return reply;
          };
          const emote = async (p: TelnetClient): Promise<void> => {
            const t = `tok${run}x${token++}q`;
            const reply = await ask(p, `emote says ${t}`);
            expect(reply.split(t).length - 1, `${t} in ${JSON.stringify(reply)}`).toBe(1);
          };
          const play = async (p: TelnetClient, i: number) => {
            for (const line of scripts[i].flatMap((e) => ERRANDS[e]!)) {
              if (line === 'EMOTE') await emote(p);
              else await ask(p, line === 'GIVE' ? `give all to ${names[(i + 1) % names.length]}` : line);
            }
            // An answer twice to any line before would be taken for this one's: its token would be missing.
            await emote(p);
          };
          let epoch = 0;
          const dispatch = async (spec: string) => {
            expect(await mudAdmin(server!.adminPort, 'dispatch', spec)).toMatch(/^dispatch: /);
          };
          const switcher = async () => {
            await dispatch(away);
            for (const [delay, spec] of more) {
              await new Promise((r) => setTimeout(r, delay));
              await dispatch(spec);
            }
            await dispatch('actor');
            epoch = (await status(server!.adminPort)).epoch!;
          };
          await Promise.all([...players.map((p, i) => play(p, i)), switcher()]);
          // Both gateways run the table of the last switch: the newest epoch, which the status read just after the
          // last `mud dispatch` may not show yet (under load it read 4 while both gateways went on to 5).
          let rows: unknown;
          await waitUntil(async () => {
            const s = await status(server!.adminPort);
            rows = s.gateways?.map((g) => `${g.id}@${g.epoch}`);
            return s.epoch! >= epoch && s.gateways?.length === 2 && s.gateways.every((g) => g.epoch === s.epoch);
          }, 30_000, () => `both gateways at the newest epoch (at least ${epoch}): ${JSON.stringify(rows)}`);
        } finally {
          for (const p of players) p.close();
        }
        const backup = join(dir, `run-${run}.backup`);
        await mudAdmin(server!.adminPort, 'backup', '--out', backup);
        expect(await backupConservationErrors(backup, world)).toEqual([]);
      },
    ), { numRuns: 3, seed: SEED, endOnFailure: true });
  }, 300_000);
});
