// Trades under fire: pairs of players trade their tokens back and forth while
// nodes are killed (worker nodes terminated mid-turn, actor and function mode),
// and while the whole server is killed with SIGKILL and restarted on its data
// dir. After each, every trade is all or nothing: each player holds exactly one
// token (in hand or set aside in an open trade), every item exists once, and
// every coin the world made is held by someone.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { FileStore } from '../store/file-store.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { NAMES, PAIRS, bazaar, expectBothSidesTold, expectOneTokenEach, playRound, untilSettled } from './helpers/trade-bazaar.js';
import { say } from './helpers/transcript.js';

describe('trade - crashes', () => {
  let dir = '';
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const mode of ['actor', 'function']) {
    it(`trade - worker nodes killed mid-trade (${mode}, 3 nodes): every trade all or nothing`, async () => {
      dir = await mkdtemp(join(tmpdir(), 'mud-trade-nodes-'));
      await mkdir(join(dir, 'world'));
      await writeFile(join(dir, 'world', 'world.yaml'), bazaar());
      const h = await engineHarness({ dispatch: mode, nodes: 3, worldDir: join(dir, 'world') });
      try {
        const players = NAMES.map((n) => `player/${n}`);
        for (const p of players) await h.engine.connect(p);
        for (const p of players) await h.type(p, 'take token');
        const lattice = h.setup.lattice!;
        // Each round reads what its player was told (an offer refused calls the round off, as against
        // a live server), and counts the trades each side was told are done.
        let answeredDone = 0;
        const play = async (pair: number) => {
          const [a, b] = [NAMES[2 * pair], NAMES[2 * pair + 1]];
          for (let r = 0; r < 4; r++) {
            const [first, second] = r % 2 ? [b, a] : [a, b];
            answeredDone += await playRound(first, second, (who, line) => say(h, line, `player/${who}`));
          }
        };
        const chaos = async () => {
          await new Promise((r) => setTimeout(r, 200));
          await lattice.removeNode(lattice.nodes()[0], 'kill');
          await new Promise((r) => setTimeout(r, 300));
          await lattice.removeNode(lattice.nodes()[1], 'kill');
        };
        await Promise.all([...Array.from({ length: PAIRS }, (_, i) => play(i)), chaos()]);
        await h.engine.quiesce();
        expect(answeredDone).toBeGreaterThan(0);
        await expectOneTokenEach(h.store);
        // All or nothing as the players saw it: once every trade has settled, each side of a pair has been
        // told of the same number of trades done with the other (one side told, the other not: a half trade).
        await expectBothSidesTold(h.lines);
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
      } finally {
        await h.close();
        await rm(dir, { recursive: true, force: true });
        dir = '';
      }
    }, 90_000);
  }

  for (const mode of ['actor', 'in-process']) {
    it(`trade - kill -9 of the server mid-trade (${mode}), restarted on its data dir: every trade all or nothing`, async () => {
      dir = await mkdtemp(join(tmpdir(), 'mud-trade-crash-'));
      const worldDir = join(dir, 'world');
      await mkdir(worldDir);
      await writeFile(join(worldDir, 'world.yaml'), bazaar());
      const dataDir = join(dir, 'data');
      const args = ['--data-dir', dataDir, '--world', worldDir, '--nodes', '2', '--dispatch', mode];
      server = await spawnServer(args);
      const clients = new Map<string, TelnetClient>();
      for (const n of NAMES) {
        const c = await TelnetClient.open(server.telnetPort);
        await c.nextAnswer();
        const a = await c.command(`create ${n} secret`);
        if (!a.includes('Welcome')) throw new Error(a);
        await c.command('take token');
        clients.set(n, c);
      }
      let running = true;
      let done = 0;
      const loops = Array.from({ length: PAIRS }, async (_, pair) => {
        const [a, b] = [NAMES[2 * pair], NAMES[2 * pair + 1]];
        try {
          for (let r = 0; running; r++) {
            const [first, second] = r % 2 ? [b, a] : [a, b];
            done += await playRound(first, second, (who, line) => clients.get(who)!.command(line));
          }
        } catch {
          // the server died under us
        }
      });
      const deadline = Date.now() + 10_000;
      while (done < PAIRS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 600));
      await server.kill9();
      running = false;
      await Promise.all(loops);
      for (const c of clients.values()) c.close();
      expect(done).toBeGreaterThan(0);

      server = await spawnServer(args);
      // Back up: recovery has run. A preparer that never heard the decision asks again on its durable
      // timer: wait, asking each trader how their trade stands, until none is being settled.
      const world = await loadLiveWorld(worldDir);
      const again = new Map<string, TelnetClient>();
      for (const n of NAMES) {
        const c = await TelnetClient.open(server.telnetPort);
        await c.nextAnswer();
        const a = await c.command(`connect ${n} secret`);
        if (!/Welcome/.test(a)) throw new Error(a);
        again.set(n, c);
      }
      await untilSettled(again);
      for (const c of again.values()) c.close();
      await server.stop();
      server = undefined;
      const store = await FileStore.open(dataDir);
      await expectOneTokenEach(store);
      expect(await conservationErrors(store, world.definition)).toEqual([]);
      await store.close();
      await rm(dir, { recursive: true, force: true });
      dir = '';
    }, 120_000);
  }
});
