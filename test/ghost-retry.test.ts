// A gateway killed with -9 and started again before any node is back: the
// disconnects of its last life's players cannot run yet (no node to run them).
// The reaper must not forget them: it keeps their session keys and tries again,
// and once a node joins they leave the world. Without it they stood in their
// rooms as ghosts until the next gateway death.
// Without nats-server these skip locally (with the reason) and fail under CI=true.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { ADMIN_TOKEN, checkBuilt, spawnNode, waitForNodes, type NodeProcess } from './helpers/nats-cluster.js';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 180_000;

describeWithNats('ghost reaping retried', () => {
  let nats: TestNatsServer | undefined;
  let dir = '';
  let gw: ServerProcess | undefined;
  let node: NodeProcess | undefined;
  const clients: TelnetClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    await gw?.stop();
    await node?.stop();
    await nats?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ghosts - reaped at start before any node is back: the disconnect is tried again until it runs', async () => {
    checkBuilt();
    nats = await startNatsServer();
    dir = await mkdtemp(join(tmpdir(), 'mud-ghost-retry-'));
    const gateway = () => spawnServer(['--nats', nats!.url, '--store', 'nats', '--gateway-id', 'gw-a', '--nodes', '0', '--dispatch', 'actor', '--data-dir', dir, '--admin-token', ADMIN_TOKEN]);
    gw = await gateway();
    node = await spawnNode(nats.url, 'r1');
    await waitForNodes(gw.adminPort, ['r1']);
    const olga = await player(gw.telnetPort, 'olga');
    clients.push(olga);
    expect(await olga.command('south')).toMatch(/^The Moonlit Garden\n/);
    // Everything dies at once; the gateway comes back first, alone.
    await gw.kill9();
    await node.kill9();
    gw = await gateway();
    await waitUntil(() => /reap incomplete players=1/.test(gw!.log()), 60_000, () => `the reaper never said it could not finish:\n${gw!.log()}`);
    node = await spawnNode(nats.url, 'r2');
    await waitForNodes(gw.adminPort, ['r2']);
    await waitUntil(() => /gateway reaped gateway=unfinished reason=retry players=1/.test(gw!.log()), 30_000, () => `the reap was never finished:\n${gw!.log()}`);
    const pia = await player(gw.telnetPort, 'pia');
    clients.push(pia);
    expect(await pia.command('south')).not.toMatch(/Olga/);
    expect(await pia.command('tell olga hello?')).toMatch(/Olga is not online\./);
  }, SLOW);
});
