// `mud serve --gateways 2` as a real process: two gateway processes behind the same telnet port
// (Node's cluster module hands each connection to one of them), one file store and one set of
// node threads behind them in the primary, no NATS. Which gateway a connection lands on is the
// cluster module's choice: a test learns it from the gateway's login line and connects again until
// its player is where it wants.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './helpers/nats-server.js';
import { ADMIN_TOKEN, checkBuilt, CLOSED_LOOP_LIMITS, mudAdmin, moveItems } from './helpers/nats-cluster.js';
import { MUD_BIN, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import { playerOn, spawnTwoGateways } from './helpers/embedded-gateways.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { FileStore } from '../store/file-store.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';

const SLOW = 120_000;

describe('embedded gateways', () => {
  let server: ServerProcess | undefined;
  let dir = '';
  const clients: TelnetClient[] = [];

  const created = new Set<string>();
  /** Logs `name` in on gateway `gw`; closed after the tests. */
  async function on(gw: string, name: string): Promise<TelnetClient> {
    const c = await playerOn(server!, gw, name, created);
    clients.push(c);
    return c;
  }

  /** The pid of gateway `gw` as its primary last started it. */
  function pidOf(gw: string): number {
    const all = [...server!.log().matchAll(new RegExp(`info gateway joined gateway=${gw} pid=(\\d+) gateways=\\d+\\n`, 'g'))];
    return Number(all.at(-1)![1]);
  }

  beforeAll(async () => {
    checkBuilt();
    dir = await mkdtemp(join(tmpdir(), 'mud-embgw-'));
    server = await spawnTwoGateways(['--nodes', '2', '--data-dir', dir, '--admin-token', ADMIN_TOKEN, ...CLOSED_LOOP_LIMITS]);
  }, SLOW);

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, SLOW);

  it('rooms - players on two gateway processes in one room hear each other, and `who` lists each once', async () => {
    const alice = await on('gw-1', 'alice');
    const bob = await on('gw-2', 'bob');
    expect(await alice.command('look')).toMatch(/Bob is here\./);
    expect(await alice.command('say hello from one')).toMatch(/You say, "hello from one"\n$/);
    await bob.waitFor('Alice says, "hello from one"');
    bob.drain();
    expect(await bob.command('emote waves from two')).toMatch(/^Bob waves from two\n/);
    await alice.waitFor('Bob waves from two');
    for (const c of [alice, bob]) {
      const list = await c.command('who');
      for (const name of ['Alice', 'Bob']) expect(list.match(new RegExp(`^  ${name} `, 'gm')), list).toHaveLength(1);
      expect(list).toMatch(/^Players online: 2$/m);
    }
  }, SLOW);

  it('takeover - logging in again on the other gateway takes the session over; she stays where she stood', async () => {
    let carol = await on('gw-1', 'carol');
    expect(await carol.command('south')).toMatch(/^The Moonlit Garden\n/);
    // Each login takes the session before it over, on the same gateway or on the other: until one lands on gw-2.
    for (let landed = 'gw-1'; landed === 'gw-1';) {
      const from = server!.log().length;
      const next = await player(server!.telnetPort, 'carol', 'secret', 'connect');
      await carol.waitFor('Your character has been taken over by a new connection. Goodbye.');
      await carol.waitClosed();
      landed = /info login player=player\/carol .* gw=(gw-\d)/.exec(server!.log().slice(from))![1]!;
      carol = next;
    }
    clients.push(carol);
    expect(await carol.command('look')).toMatch(/^The Moonlit Garden\n/);
    const list = await clients[0].command('who');
    expect(list.match(/^ {2}Carol /gm), list).toHaveLength(1);
    carol.send('quit');
    await carol.waitClosed();
    clients.pop();
  }, SLOW);

  it('kill -9 - a gateway process killed is started again; its player is back through the same port in < 5 s with what he held, and no ghost', async () => {
    const [alice, bob] = clients;
    await bob.command('south');
    await bob.command('take pebble');
    expect(await bob.command('north')).toMatch(/^The Mystical Plaza\n/);
    const held = await bob.command('inventory');
    expect(held).toMatch(/pebble/);
    const killed = Date.now();
    process.kill(pidOf('gw-2'), 'SIGKILL');
    await bob.waitClosed();
    const again = await player(server!.telnetPort, 'bob', 'secret', 'connect');
    clients.push(again);
    expect(Date.now() - killed).toBeLessThan(5_000);
    expect(await again.command('inventory')).toBe(held);
    const look = await alice.command('look');
    expect(look.match(/Bob is here\./g), look).toHaveLength(1);
    await waitUntil(() => /gateway process died gateway=gw-2/.test(server!.log()) && (server!.log().match(/info ready .* gw=gw-2/g) ?? []).length === 2, 30_000, () => `gw-2 started again:\n${server!.log().slice(-3000)}`);
    const list = await alice.command('who');
    expect(list.match(/^ {2}Bob /gm), list).toHaveLength(1);
    expect(list).toMatch(/^Players online: 2$/m);
    // Bob plays on from gateway gw-1; the loads below need one player on each gateway again.
    clients.length = 1;
    again.send('quit');
    await again.waitClosed();
    await on('gw-2', 'bob');
    expect(await clients[1].command('drop pebble')).toMatch(/pebble/);
  }, SLOW);

  it('switch - actor to function and back while players on both gateways carry items: every command answered, every item once', async () => {
    const [alice, bob] = clients;
    let moving = true;
    const loads = [moveItems(alice, 0, () => moving), moveItems(bob, 1, () => moving)];
    for (const spec of ['function', 'actor']) expect(await mudAdmin(server!.adminPort, 'dispatch', spec)).toMatch(/^dispatch: .* \(players paused/);
    moving = false;
    for (const r of await Promise.all(loads)) {
      expect(r.sent).toBeGreaterThan(0);
      expect(r.answered).toBe(r.sent);
    }
    // Each gateway switched back (epoch 3): the one asked, and the other, prepared and then told the decision.
    for (const gw of ['gw-1', 'gw-2']) expect(server!.log()).toMatch(new RegExp(`(mode switched|mode table adopted) .*epoch=3 .*gw=${gw}`));
  }, SLOW);

  it('items - after the switch and the kill, every item exists once; `mud backup` on either gateway takes the one store', async () => {
    const backup = join(dir, 'world.backup');
    expect(await mudAdmin(server!.adminPort, 'backup', '--out', backup)).toMatch(/backup/i);
    expect((await readFile(backup, 'utf8')).split('\n').filter((l) => l.startsWith('{"k":"player/alice",'))).toHaveLength(1);
    for (const c of clients) c.close();
    clients.length = 0;
    await server!.stop();
    server = undefined;
    const store = await FileStore.open(dir);
    try {
      expect(await conservationErrors(store, (await loadLiveWorld(DEFAULT_WORLD)).definition)).toEqual([]);
    } finally {
      await store.close();
    }
  }, SLOW);

  it('refusals - --gateways with --nats or another store, and in-process with two gateways, each with one clear line', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'mud-embgw-refused-'));
    const serve = (args: string[]) => promisify(execFile)(process.execPath, [MUD_BIN, 'serve', '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', '--data-dir', fresh, ...args]);
    await expect(serve(['--gateways', '2', '--nats', 'nats://127.0.0.1:4222'])).rejects.toThrow(/--gateways runs the gateways of one machine over its own file store; --nats joins gateways over NATS: use one or the other/);
    await expect(serve(['--gateways', '2', '--store', 'nats'])).rejects.toThrow(/--gateways keeps the state in the file store of --data-dir, not --store nats/);
    await expect(serve(['--gateways', '2', '--dispatch', 'room=in-process,default=actor'])).rejects.toThrow(/names in-process: in-process runs each object on the gateway that serves the turn, so with 2 gateways live/);
    await rm(fresh, { recursive: true, force: true });
  }, SLOW);
});
