// Building over two gateways (real `mud serve --nats --store nats` processes, real
// `mud node` processes, a real nats-server): a wizard on one gateway digs, and a
// player on the other sees the exit at once; two wizards on the two gateways change
// the same room at the same moment and both changes stay; @save writes the files,
// both gateways reload from them, and the item audit over the shared KV counts the
// item that was made. Without nats-server these skip locally and fail under CI=true.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, type TestNatsServer } from './helpers/nats-server.js';
import { gatewayCluster, type GatewayCluster } from './helpers/gateway-pair.js';
import { CLOSED_LOOP_LIMITS } from './helpers/nats-cluster.js';
import { player } from './helpers/test-server.js';
import { copyDefaultWorld } from './helpers/world-copy.js';
import { loadWorld } from '../world/files/world-loader.js';
import { itemHolders, readRecords } from '../ops/item-audit.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 180_000;

for (const mode of ['actor', 'function'] as const) describeWithNats(`building over two gateways (${mode})`, () => {
  let nats: TestNatsServer;
  let world: Awaited<ReturnType<typeof copyDefaultWorld>>;
  let cluster: GatewayCluster;
  const clients: TelnetClient[] = [];
  let alice: TelnetClient; // wizard on gw-a
  let bob: TelnetClient; // wizard on gw-b
  let carol: TelnetClient; // player on gw-b

  beforeAll(async () => {
    nats = await startNatsServer();
    world = await copyDefaultWorld();
    cluster = await gatewayCluster(nats.url, ['gw-a', 'gw-b'], ['m1'], ['--world', world.dir, '--dispatch', mode, '--wizard', 'bob', ...CLOSED_LOOP_LIMITS]);
    const [a, b] = cluster.gateways;
    alice = await player(a.telnetPort, 'alice');
    bob = await player(b.telnetPort, 'bob');
    carol = await player(b.telnetPort, 'carol');
    clients.push(alice, bob, carol);
  }, SLOW);

  afterAll(async () => {
    for (const c of clients) c.close();
    await cluster?.close();
    await nats?.cleanup();
    await world?.remove();
  }, SLOW);

  it('two gateways - a room dug on one is walked into from the other at once', async () => {
    expect(await alice.command('@dig up bell_loft The Bell Loft')).toMatch(/You dig up: The Bell Loft/);
    carol.drain();
    expect(await carol.command('look')).toMatch(/Exits: north, east, west, south, up\./);
    expect(await carol.command('up')).toMatch(/^The Bell Loft\n/);
  }, SLOW);

  it('two gateways - two wizards change one room at the same moment: both changes stay', async () => {
    await alice.command('up');
    await bob.command('up');
    expect(await alice.command('@desc here Ropes hang from the beams.')).toMatch(/is set/);
    alice.drain();
    bob.drain();
    const [a, b] = await Promise.all([alice.command('@extra ropes = Thick hemp ropes.'), bob.command('@extra beams = Black oak beams.')]);
    expect(a).toMatch(/Looking at ropes here now shows your text\./);
    expect(b).toMatch(/Looking at beams here now shows your text\./);
    carol.drain();
    expect(await carol.command('look ropes')).toBe('Thick hemp ropes.\n');
    expect(await carol.command('look beams')).toBe('Black oak beams.\n');
    expect(await alice.command('look beams')).toMatch(/Black oak beams\./);
  }, SLOW);

  it('two gateways - create, take, save, reload from the saved files; the audit counts the item', async () => {
    expect(await alice.command('@create weapon rusty_axe a rusty axe')).toMatch(/You make a rusty axe/);
    await carol.waitFor('A rusty axe appears.');
    carol.drain();
    expect(await carol.command('take axe')).toBe('You take a rusty axe.\n');
    expect(await bob.command('@save')).toMatch(/Saved to the world files: .*rooms\/plaza\.yaml/);
    const loaded = await loadWorld(world.dir);
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    expect(loaded.world.rooms['room/bell_loft'].extras?.map((e) => e.keywords[0]).sort()).toEqual(['beams', 'ropes']);
    expect(await readFile(join(world.dir, 'areas.yaml'), 'utf8')).toContain('# Areas: who hears a shout');
    alice.drain();
    expect(await alice.command('@reload')).toMatch(/World reloaded/);
    expect(await bob.command('@build')).toMatch(/^Nothing is built and unsaved/);
    carol.drain();
    expect(await carol.command('look')).toMatch(/^The Bell Loft\nRopes hang from the beams\./);
    expect(await carol.command('inventory')).toMatch(/a rusty axe/);
    const kv = await cluster.kv();
    try {
      const holders = itemHolders(await readRecords(kv), loaded.world);
      expect(holders.get('item/rusty_axe')).toEqual(['player/carol']);
      expect([...holders].filter(([, where]) => where.length !== 1)).toEqual([]);
    } finally {
      await kv.close();
    }
  }, SLOW);
});
