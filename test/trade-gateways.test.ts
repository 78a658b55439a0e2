// Trades across gateways: two real gateway processes over a real nats-server
// share `mud node` processes and a JetStream KV bucket; each pair of traders has
// one player on each gateway. They trade in actor mode, then in function mode
// while a node is killed with SIGKILL: every trade is all or nothing (each player
// holds exactly one token, in hand or in escrow), every item exists once.
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

describeWithNats('trade - across gateways', () => {
  let nats: TestNatsServer | undefined;
  let c: GatewayCluster | undefined;
  let dir = '';
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
    for (const [i, n] of NAMES.entries()) {
      const p = await player((i % 2 ? b : a).telnetPort, n);
      await p.command('take token');
      clients.set(n, p);
    }
    const round = async (pair: number, r: number) => {
      const [x, y] = [NAMES[2 * pair], NAMES[2 * pair + 1]];
      const [first, second] = r % 2 ? [y, x] : [x, y];
      return playRound(first, second, (who, line) => clients.get(who)!.command(line, 60_000));
    };
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

    const kv = await c!.kv();
    try {
      await expectOneTokenEach(kv);
      expect(await conservationErrors(kv, (await loadLiveWorld(join(dir, 'world'))).definition)).toEqual([]);
    } finally {
      await kv.close();
    }
  }, SLOW);
});
