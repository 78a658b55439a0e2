// Durable timers with two gateways: each object's timers are fired by the
// gateway rendezvous hashing names for it; a timer set through the other gateway
// is handed over; when the owner is killed with -9, the survivor takes its
// timers over from the records and each fires once. The status of either gateway
// lists both. Without nats-server these skip locally (with the reason) and fail under CI=true.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { ADMIN_TOKEN, checkBuilt, spawnNode, status, waitForNodes, type NodeProcess } from './helpers/nats-cluster.js';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { bellWorldDir, chimes } from './helpers/bell-world.js';
import { RendezvousPlacement } from '../lattice/placement.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 180_000;

describeWithNats('timers over two gateways', () => {
  let worldDir: string;
  beforeAll(async () => {
    checkBuilt();
    worldDir = await bellWorldDir();
  });
  afterAll(async () => {
    await rm(dirname(worldDir), { recursive: true, force: true });
  });

  it('timers - set through the gateway that does not own the object, its owner killed with -9: the survivor fires each once', async () => {
    const nats: TestNatsServer = await startNatsServer();
    const dirs = [await mkdtemp(join(tmpdir(), 'mud-gw-timers-a-')), await mkdtemp(join(tmpdir(), 'mud-gw-timers-b-'))];
    const gateway = (id: string, dir: string) => spawnServer([
      '--nats', nats.url, '--nodes', '0', '--store', 'nats', '--dispatch', 'actor', '--world', worldDir, '--data-dir', dir,
      '--admin-token', ADMIN_TOKEN, '--gateway-id', id,
    ]);
    const placement = new RendezvousPlacement();
    placement.setNodes(['gw-a', 'gw-b']);
    const owner = placement.home('room/tower');
    const gws = new Map<string, ServerProcess>();
    const nodes: NodeProcess[] = [];
    const clients: TelnetClient[] = [];
    try {
      gws.set('gw-a', await gateway('gw-a', dirs[0]));
      gws.set('gw-b', await gateway('gw-b', dirs[1]));
      nodes.push(await spawnNode(nats.url, 't1'), await spawnNode(nats.url, 't2'));
      for (const gw of gws.values()) await waitForNodes(gw.adminPort, ['t1', 't2']);
      const other = owner === 'gw-a' ? 'gw-b' : 'gw-a';
      const survivor = gws.get(other)!;
      // Both gateways in either one's status.
      await waitUntil(async () => (await status(survivor.adminPort)).gateways?.length === 2, 10_000, () => 'the gateways never saw each other');

      const bob = await player(survivor.telnetPort, 'bob');
      clients.push(bob);
      // One timer set and fired with both gateways up: handed to its owner, fired once.
      expect(await bob.command('say ring 300')).toMatch(/You say/);
      await waitUntil(async () => (await chimes(bob)) === 'chimes=1 early=0', 20_000, () => 'the first chime never came');
      // Two more, then the owner dies before they are due.
      expect(await bob.command('say ring 2500')).toMatch(/You say/);
      expect(await bob.command('say ring 3000')).toMatch(/You say/);
      await gws.get(owner!)!.kill9();
      await waitUntil(() => /timers taken over from=gw-[ab] timers=2/.test(survivor.log()), 20_000, () => `no takeover:\n${survivor.log()}`);
      await waitUntil(async () => (await chimes(bob)) === 'chimes=3 early=0', 30_000, () => 'the taken-over timers never fired');
      // And nothing fires again afterwards (a second look at the records must not run them twice).
      expect(await bob.command('say ring 200')).toMatch(/You say/);
      await waitUntil(async () => (await chimes(bob)) === 'chimes=4 early=0', 20_000, () => 'the last chime never came');
      const s = await status(survivor.adminPort);
      expect(s.gateways?.map((g) => g.id)).toEqual([other]);
      // The status's timer figures are its last window's (taken each second): waited for, not read once.
      let pending: number | undefined;
      await waitUntil(async () => (pending = (await status(survivor.adminPort)).timers?.pending) === 0, 10_000, () => `${pending} timers still pending`);
    } finally {
      for (const c of clients) c.close();
      for (const gw of gws.values()) await gw.stop();
      await Promise.all(nodes.map((n) => n.stop()));
      await nats.cleanup();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    }
  }, SLOW);
});
