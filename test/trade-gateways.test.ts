// Trades across gateways: two real gateway processes over a real nats-server
// share `mud node` processes and a JetStream KV bucket; each pair of traders has
// one player on each gateway. They trade in actor mode, then in function mode
// while a node is killed with SIGKILL, then in actor mode while gateway B is
// killed with SIGKILL (its traders log in again on A and trade on): every trade
// is all or nothing (each player holds exactly one token, in hand or in escrow),
// every item exists once.
// Without nats-server these skip locally (with the reason) and fail under CI=true.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { ADMIN_TOKEN, CLOSED_LOOP_LIMITS } from './helpers/nats-cluster.js';
import { agreed, gatewayCluster, type GatewayCluster } from './helpers/gateway-pair.js';
import { player } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import { NAMES, PAIRS, bazaar, expectOneTokenEach, playRound, untilSettled } from './helpers/trade-bazaar.js';
import { loadLiveWorld } from '../bin/live-world.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 180_000;

/** Round `r` of pair `pair` (its two traders take turns to open), typed through `clients`. */
function roundOf(clients: ReadonlyMap<string, TelnetClient>, pair: number, r: number): Promise<number> {
  const [x, y] = [NAMES[2 * pair], NAMES[2 * pair + 1]];
  const [first, second] = r % 2 ? [y, x] : [x, y];
  return playRound(first, second, (who, line) => clients.get(who)!.command(line, 60_000));
}

describeWithNats('trade - across gateways', () => {
  let nats: TestNatsServer | undefined;
  let c: GatewayCluster | undefined;
  let dir = '';
  const created = new Set<string>();
  /** A trader logged in on `port`: made the first time (taking its token), logged in again after. */
  const enter = async (port: number, name: string): Promise<TelnetClient> => {
    if (created.has(name)) return player(port, name, 'secret', 'connect');
    const p = await player(port, name);
    await p.command('take token');
    created.add(name);
    return p;
  };
  /** Every trader holds one token (in hand or in escrow) once nothing is settling; items and coins conserved. */
  const audited = async (): Promise<void> => {
    const kv = await c!.kv();
    try {
      await expectOneTokenEach(kv);
      expect(await conservationErrors(kv, (await loadLiveWorld(join(dir, 'world'))).definition)).toEqual([]);
    } finally {
      await kv.close();
    }
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-trade-gw-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), bazaar());
    nats = await startNatsServer();
    c = await gatewayCluster(nats.url, ['A', 'B'], ['n1', 'n2', 'n3'], ['--dispatch', 'actor', '--world', join(dir, 'world'), ...CLOSED_LOOP_LIMITS]);
  }, SLOW);
  afterAll(async () => {
    await c?.close();
    await nats?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, SLOW);

  it('trade - one trader of each pair on each gateway: actor, then function with a node killed -9 mid-trade; all or nothing', async () => {
    const [a, b] = c!.gateways;
    const clients = new Map<string, TelnetClient>();
    // Even traders on gateway A, odd ones on B: every pair spans the two.
    for (const [i, n] of NAMES.entries()) clients.set(n, await enter((i % 2 ? b : a).telnetPort, n));
    const round = (pair: number, r: number) => roundOf(clients, pair, r);
    // Actor mode: one round each, every one of them done.
    const first = await Promise.all(Array.from({ length: PAIRS }, (_, pair) => round(pair, 0)));
    expect(first).toEqual(Array.from({ length: PAIRS }, () => 1));

    // Function mode, and a node killed -9 while the rounds go on.
    const res = await fetch(`http://127.0.0.1:${a.adminPort}/admin/dispatch`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ spec: 'function' }),
    });
    expect(res.ok).toBe(true);
    await waitUntil(async () => (await agreed([a, b])).mode.includes('function'), 30_000, () => 'the gateways never agreed on function mode');
    let running = true;
    let done = 0;
    const loops = Array.from({ length: PAIRS }, async (_, pair) => {
      for (let r = 1; running; r++) done += await round(pair, r);
    });
    await waitUntil(() => done >= PAIRS, 60_000, () => `only ${done} trades done in function mode`);
    await c!.nodes[0].kill9();
    const after = done;
    await waitUntil(() => done >= after + PAIRS, 60_000, () => `only ${done - after} trades done after the node died`);
    running = false;
    await Promise.all(loops);
    await untilSettled(clients);
    for (const p of clients.values()) p.close();

    await audited();
  }, SLOW);

  it('trade - a gateway killed -9 mid-trade (actor): its traders log in on the other gateway; every trade all or nothing', async () => {
    const [a, b] = c!.gateways;
    const res = await fetch(`http://127.0.0.1:${a.adminPort}/admin/dispatch`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ spec: 'actor' }),
    });
    expect(res.ok).toBe(true);
    await waitUntil(async () => (({ mode }) => mode.includes('actor') && !mode.includes('function'))(await agreed([a, b])), 30_000, () => 'the gateways never agreed on actor mode');
    const clients = new Map<string, TelnetClient>();
    for (const [i, n] of NAMES.entries()) clients.set(n, await enter((i % 2 ? b : a).telnetPort, n));
    let running = true;
    let done = 0;
    // A pair stops when its trader on B loses its connection: what was in flight ran or it did not.
    const loops = Array.from({ length: PAIRS }, async (_, pair) => {
      try {
        for (let r = 0; running; r++) done += await roundOf(clients, pair, r);
      } catch (e) {
        if (!/connection closed/.test((e as Error).message)) throw e;
      }
    });
    await waitUntil(() => done >= PAIRS, 60_000, () => `only ${done} trades done before the kill`);
    await b.kill9();
    running = false;
    await Promise.all(loops);

    // B's traders log in on A (taking over the sessions the dead gateway held); A's stay as they are. Every trade settles.
    const onB = NAMES.filter((_, i) => i % 2);
    for (const n of onB) {
      clients.get(n)!.close();
      clients.set(n, await enter(a.telnetPort, n));
    }
    await untilSettled(clients, 30_000);
    // Play goes on from A: each pair calls off what it had open and trades once more.
    for (let pair = 0; pair < PAIRS; pair++) await clients.get(NAMES[2 * pair])!.command('cancel');
    const unheld = async () => (await Promise.all(NAMES.map(async (n) => (/a brass token/.test(await clients.get(n)!.command('inventory')) ? [] : [n])))).flat();
    let left: string[] = [];
    await waitUntil(async () => (left = await unheld()).length === 0, 10_000, () => `no token back in hand: ${left.join(', ')}`);
    expect(await Promise.all(Array.from({ length: PAIRS }, (_, pair) => roundOf(clients, pair, 0)))).toEqual(Array.from({ length: PAIRS }, () => 1));
    for (const p of clients.values()) p.close();
    await audited();
  }, SLOW);
});
