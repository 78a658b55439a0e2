// Durable timers on the NATS lattice with state in JetStream KV: the gateway
// and the node that ran the timer's object are killed with -9 while timers are
// pending; a new gateway rebuilds its queue from KV and each timer fires once.
// Without nats-server these skip locally (with the reason) and fail under CI=true.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { ADMIN_TOKEN, checkBuilt, spawnNode, waitForNodes, type NodeProcess } from './helpers/nats-cluster.js';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { bellWorldDir, chimes } from './helpers/bell-world.js';

const SLOW = 180_000;

describeWithNats('timers over nats', () => {
  let worldDir: string;
  beforeAll(async () => {
    checkBuilt();
    worldDir = await bellWorldDir();
  });
  afterAll(async () => {
    await rm(dirname(worldDir), { recursive: true, force: true });
  });

  for (const mode of ['actor', 'function']) {
    it(`timers - ${mode} over NATS with KV: kill -9 of the gateway and a node with timers pending; each fires once`, async () => {
      const nats: TestNatsServer = await startNatsServer();
      const dir = await mkdtemp(join(tmpdir(), 'mud-nats-timers-'));
      const args = ['--nats', nats.url, '--nodes', '0', '--store', 'nats', '--dispatch', mode, '--world', worldDir, '--data-dir', dir, '--admin-token', ADMIN_TOKEN];
      const nodes: NodeProcess[] = [];
      let gw: ServerProcess | undefined;
      try {
        gw = await spawnServer(args);
        nodes.push(await spawnNode(nats.url, 'a1'), await spawnNode(nats.url, 'a2'));
        await waitForNodes(gw.adminPort, ['a1', 'a2']);
        const bob = await player(gw.telnetPort, 'bob');
        expect(await bob.command('say ring 1500')).toMatch(/You say/);
        expect(await bob.command('say ring 1800')).toMatch(/You say/);
        await nodes[0].kill9();
        await gw.kill9();
        bob.close();
        nodes.push(await spawnNode(nats.url, 'a3'));
        gw = await spawnServer(args);
        expect(gw.log()).toMatch(/timers restored pending=2/);
        await waitForNodes(gw.adminPort, ['a2', 'a3']);
        const again = await player(gw.telnetPort, 'bob', 'secret', 'connect');
        await waitUntil(async () => (await chimes(again)) !== 'chimes=0 early=0' && (await chimes(again)) !== 'chimes=1 early=0', 30_000, () => 'the timers never fired');
        expect(await chimes(again)).toBe('chimes=2 early=0');
        again.close();
      } finally {
        await gw?.stop();
        await Promise.all(nodes.map((n) => n.stop()));
        await nats.cleanup();
        await rm(dir, { recursive: true, force: true });
      }
    }, SLOW);
  }
});
