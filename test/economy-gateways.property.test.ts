// Random buying, selling, trading, giving, deaths and corpse-looting by players
// on both gateway processes of `mud serve --gateways 2` (real processes, no
// NATS), while gateway processes are killed with SIGKILL mid-play and started
// again by the primary on the same port: the players on the killed one log in
// again and play on. After each run (audited from a backup of the running
// server) every item exists exactly once, the coins held add up to the coins
// the world made, and no trade is left half-settled. The in-process property
// with node kills and switches is test/economy.property.test.ts.
// Seeded: FC_SEED=<n> replays a run.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './helpers/nats-server.js';
import { ADMIN_TOKEN, checkBuilt, CLOSED_LOOP_LIMITS, mudAdmin, status } from './helpers/nats-cluster.js';
import type { ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { playerOn, spawnTwoGateways } from './helpers/embedded-gateways.js';
import { backupStore, conservationErrors } from './helpers/conservation.js';
import { FAIR_WORLD, deal, fairCommands } from './helpers/fair-economy.js';
import { readRecords } from '../ops/item-audit.js';
import { loadLiveWorld } from '../bin/live-world.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 120_000;
const SEED = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
/** A command whose gateway died under it is not retried: it ran or it did not, which is the point. */
const GONE = /connection closed/;

describe('the economy while gateway processes are killed', () => {
  let server: ServerProcess | undefined;
  let dir = '';
  const created = new Set<string>();

  /** Times gateway `gw` has said it is ready. */
  const readies = (gw: string) => (server!.log().match(new RegExp(`info ready .* gw=${gw}\\n`, 'g')) ?? []).length;
  /** The pid of gateway `gw` as its primary last started it. */
  const pidOf = (gw: string) => Number([...server!.log().matchAll(new RegExp(`info gateway joined gateway=${gw} pid=(\\d+) gateways=\\d+\\n`, 'g'))].at(-1)![1]);

  beforeAll(async () => {
    checkBuilt();
    dir = await mkdtemp(join(tmpdir(), 'mud-fair-gw-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), FAIR_WORLD);
    await mkdir(join(dir, 'data'));
    server = await spawnTwoGateways(['--nodes', '2', '--world', join(dir, 'world'), '--data-dir', join(dir, 'data'), '--admin-token', ADMIN_TOKEN, ...CLOSED_LOOP_LIMITS]);
  }, SLOW);

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, SLOW);

  it('property - purchases, sales, trades, gifts and deaths across two gateway processes, one killed -9 mid-play: items and coins conserved, no trade half-settled', async () => {
    console.log(`economy gateways property seed: ${SEED} (replay with FC_SEED=${SEED})`);
    const world = (await loadLiveWorld(join(dir, 'world'))).definition;
    let run = 0;
    let killed = 0;
    let relogins = 0;
    let done = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(fc.nat(31), { minLength: 6, maxLength: 16 }), { minLength: 3, maxLength: 3 }),
      fc.array(fc.record({ at: fc.integer({ min: 0, max: 99 }), gw: fc.constantFrom('gw-1', 'gw-2') }), { minLength: 1, maxLength: 2 }),
      async (picks, kills) => {
        run++;
        const names = picks.map((_, i) => `fair${'abcdefghijklmnop'[run]}${'abc'[i]}`);
        const commands = fairCommands(names);
        const clients = new Map<string, TelnetClient>();
        // Player i on gw-1 or gw-2 in turn: each gateway has players, and trades cross between them.
        for (const [i, name] of names.entries()) clients.set(name, await playerOn(server!, `gw-${(i % 2) + 1}`, name, created));
        // One command at a time per connection (a deal types into the partner's too); a connection its gateway
        // took down is opened again (the primary starts the gateway again on the same port).
        const queues = new Map(names.map((n) => [n, Promise.resolve()]));
        let typed = 0;
        const ask = (name: string, line: string): Promise<void> => {
          const next = queues.get(name)!.then(async () => {
            typed++;
            const c = clients.get(name)!;
            if (c.isClosed) clients.set(name, await loginAgain(name));
            const answer = await clients.get(name)!.command(line, 30_000).catch((e: Error) => {
              if (!GONE.test(e.message)) throw e;
              return '';
            });
            if (/The trade with \w+ is done/.test(answer)) done++;
          });
          queues.set(name, next);
          return next;
        };
        const loginAgain = async (name: string): Promise<TelnetClient> => {
          relogins++;
          let again: TelnetClient | undefined;
          await waitUntil(async () => (again = await player(server!.telnetPort, name, 'secret', 'connect').catch(() => undefined)) !== undefined,
            30_000, () => `${name} could not log in again`);
          return again!;
        };
        const lines = (i: number): Array<[string, string]> => picks[i].flatMap((pick) => {
          const c = commands[pick];
          const partner = c.startsWith('DEAL ') ? c.slice(5) : undefined;
          if (!partner) return [[names[i], c]];
          return partner === names[i] ? [] : deal(names[i], partner);
        });
        const scripts = names.map((_, i) => lines(i));
        const total = scripts.reduce((n, l) => n + l.length, 0);
        // Each kill comes when `at` percent of the run's commands have been typed: mid-play.
        const chaos = (async () => {
          for (const { at, gw } of kills) {
            await waitUntil(() => typed >= Math.floor((at * total) / 100), 60_000, () => `${typed} of ${total} commands typed`);
            const before = readies(gw);
            process.kill(pidOf(gw), 'SIGKILL');
            killed++;
            await waitUntil(() => readies(gw) > before, 30_000, () => `${gw} started again:\n${server!.log().slice(-2000)}`);
          }
        })();
        // Once the kills are over, everyone looks at what they hold: the players of a killed gateway log in again.
        const play = async (i: number) => {
          for (const [who, line] of scripts[i]) await ask(who, line);
          await chaos;
          await ask(names[i], 'inventory');
        };
        try {
          await Promise.all([...names.map((_, i) => play(i)), chaos]);
        } finally {
          for (const c of clients.values()) c.close();
        }
        await waitUntil(async () => (await status(server!.adminPort)).gateways?.length === 2, 30_000, () => 'both gateways back');
        // No trade is left mid-settlement (a preparer asks again on its timer until it hears), and coins and items
        // in flight (a corpse crumbling, a shop restocking) land: bounded, a lost one never does.
        let errors: string[] = [];
        let settling: string[] = [];
        await waitUntil(async () => {
          const backup = join(dir, `run-${run}.backup`);
          await mudAdmin(server!.adminPort, 'backup', '--out', backup);
          const store = await backupStore(backup);
          settling = [...(await readRecords(store))].filter(([, r]) => (r.state?.trade as { settling?: string } | null | undefined)?.settling).map(([ref]) => ref);
          errors = await conservationErrors(store, world);
          await rm(backup, { force: true });
          return settling.length === 0 && errors.length === 0;
        }, 20_000, () => 'settled and conserved').catch(() => undefined);
        expect(settling, 'trades mid-settlement').toEqual([]);
        expect(errors).toEqual([]);
      },
    ), { numRuns: 3, seed: SEED, endOnFailure: true });
    console.log(`economy gateways property: ${killed} gateway processes killed, ${relogins} logins again, ${done} trades seen done`);
  }, 300_000);
});
