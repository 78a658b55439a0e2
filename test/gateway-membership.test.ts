// Gateways of one cluster find each other over NATS: two on one machine need
// only different ports (they may share a data dir when the state is in KV);
// a gateway id is unique among live gateways; and a --store file gateway, whose
// state is its own data dir, refuses to share NATS with any other gateway.
// Without nats-server these skip locally (with the reason) and fail under CI=true.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { ADMIN_TOKEN, checkBuilt, status } from './helpers/nats-cluster.js';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';

const SLOW = 120_000;

describeWithNats('gateway membership', () => {
  let nats: TestNatsServer;
  let dir: string;
  const running: ServerProcess[] = [];
  const gateway = (id: string, store: 'nats' | 'file', dataDir = dir) => spawnServer([
    '--nats', nats.url, '--store', store, '--nodes', '0', '--dispatch', 'actor', '--data-dir', dataDir, '--admin-token', ADMIN_TOKEN, '--gateway-id', id,
  ]);
  beforeAll(async () => {
    checkBuilt();
    nats = await startNatsServer();
    dir = await mkdtemp(join(tmpdir(), 'mud-gw-members-'));
  });
  afterAll(async () => {
    for (const s of running) await s.stop();
    await nats?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('gateways - two on one machine share one data dir and differ only in ports; each lists both', async () => {
    running.push(await gateway('gw-a', 'nats'), await gateway('gw-b', 'nats'));
    for (const gw of running) {
      await waitUntil(async () => (await status(gw.adminPort)).gateways?.map((g) => g.id).sort().join() === 'gw-a,gw-b', 10_000, () => 'the gateways never saw each other');
    }
  }, SLOW);

  it('gateways - a second gateway with a live id is refused with one line', async () => {
    const other = await mkdtemp(join(tmpdir(), 'mud-gw-members-dup-'));
    try {
      await expect(gateway('gw-a', 'nats', other)).rejects.toThrow(/gateway id gw-a is already in use in this cluster: pick another with --gateway-id/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, SLOW);

  it('gateways - a --store file gateway refuses to join NATS where other gateways run, before it opens its store', async () => {
    const other = await mkdtemp(join(tmpdir(), 'mud-gw-members-file-'));
    try {
      await expect(gateway('gw-f', 'file', other)).rejects.toThrow(/--store file keeps the state in one gateway's data dir, so it cannot be shared; start every gateway with --store nats/);
      // Still two gateways, nothing else joined.
      expect((await status(running[0].adminPort)).gateways?.map((g) => g.id).sort()).toEqual(['gw-a', 'gw-b']);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, SLOW);
});
