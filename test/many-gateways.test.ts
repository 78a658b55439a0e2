// Two gateways as real `mud serve --nats --store nats` processes over a real
// three-server NATS cluster (each gateway on a different server, so room lines
// cross the cluster's routes), with `mud node` processes: players on both play
// in one world. The gateways share one data dir and differ only in their ports and ids.
// Without nats-server these skip locally (with the reason) and fail under CI=true.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, waitUntil } from './helpers/nats-server.js';
import { startNatsTrio, type NatsTrio } from './helpers/nats-trio.js';
import { ADMIN_TOKEN, checkBuilt, CLOSED_LOOP_LIMITS, moveItems, spawnNode, waitForNodes, type NodeProcess } from './helpers/nats-cluster.js';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { NatsLink } from '../nats/nats-connection.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { silentLogger } from '../support/logger.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { GMCP } from '../portal/telnet/telnet-options.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';

const SLOW = 180_000;

describeWithNats('many gateways', () => {
  let nats: NatsTrio;
  let dir = '';
  const gws: Record<'a' | 'b', ServerProcess | undefined> = { a: undefined, b: undefined };
  let nodes: NodeProcess[] = [];
  const clients: TelnetClient[] = [];

  /** Gateway `i` reaches the cluster through server `i` first. */
  async function gateway(id: string, i: number): Promise<ServerProcess> {
    return spawnServer(['--nats', nats.servers[i].url, '--store', 'nats', '--kv-replicas', '3', '--gateway-id', id, '--nodes', '0', '--dispatch', 'actor', '--data-dir', dir, '--admin-token', ADMIN_TOKEN, ...CLOSED_LOOP_LIMITS]);
  }

  async function on(gw: ServerProcess, name: string, verb: 'create' | 'connect' = 'create'): Promise<TelnetClient> {
    const c = await player(gw.telnetPort, name, 'secret', verb);
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    checkBuilt();
    nats = await startNatsTrio();
    dir = await mkdtemp(join(tmpdir(), 'mud-gateways-'));
    gws.a = await gateway('gw-a', 0);
    gws.b = await gateway('gw-b', 1);
    nodes = await Promise.all(['m1', 'm2'].map((id, i) => spawnNode(nats.servers[2 - i].url, id)));
    await Promise.all([waitForNodes(gws.a.adminPort, ['m1', 'm2']), waitForNodes(gws.b.adminPort, ['m1', 'm2'])]);
    await waitUntil(() => /gateway joined gateway=gw-b/.test(gws.a!.log()) && /gateway joined gateway=gw-a/.test(gws.b!.log()), 10_000, () => 'the gateways to hear each other');
  }, SLOW);

  afterAll(async () => {
    for (const c of clients) c.close();
    // A gateway that does not stop within the deadline is a failure, with its log; it is killed all the same.
    const hung: string[] = [];
    await Promise.all(Object.entries(gws).map(async ([id, gw]) => {
      if (!gw) return;
      const stopped = await Promise.race([gw.stop().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
      if (!stopped) {
        hung.push(`gateway ${id} did not stop on SIGTERM within 30 s:\n${gw.log().slice(-3000)}`);
        await gw.kill9();
      }
    }));
    // MUD_TEST_LOGS=dir keeps every process's log for a look after a failure.
    if (process.env.MUD_TEST_LOGS) {
      for (const [id, gw] of Object.entries(gws)) if (gw) await writeFile(join(process.env.MUD_TEST_LOGS, `many-gw-${id}.log`), gw.log());
    }
    await Promise.all(nodes.map((n) => n.stop()));
    await nats?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
    expect(hung).toEqual([]);
  }, SLOW);

  it('rooms - players on two gateways in one room hear each other\'s say, emote, arrivals and departures', async () => {
    const alice = await on(gws.a!, 'alice');
    const bob = await on(gws.b!, 'bob');
    expect(await alice.command('look')).toMatch(/Bob is here\./);
    expect(await alice.command('say hello from a')).toMatch(/You say, "hello from a"\n$/);
    await bob.waitFor('Alice says, "hello from a"');
    expect(await bob.command('emote waves from b')).toMatch(/Bob waves from b\n$/);
    await alice.waitFor('Bob waves from b');
    expect(await bob.command('east')).toMatch(/^The Old Armory\n/);
    await alice.waitFor('Bob leaves east.');
    expect(await bob.command('west')).toMatch(/^The Mystical Plaza\n/);
    await alice.waitFor(/Bob arrives from the east\./);
    const carol = await on(gws.b!, 'carol');
    await alice.waitFor('Carol arrives');
    expect(await carol.command('say hi all')).toMatch(/You say, "hi all"\n$/);
    await alice.waitFor('Carol says, "hi all"');
    await bob.waitFor('Carol says, "hi all"');
    // Alice hears Bob's line once: one NATS message per line, fanned out where it lands.
    alice.drain();
    expect(await bob.command('say once')).toMatch(/You say, "once"\n$/);
    await alice.waitFor('Bob says, "once"');
    const heard = await alice.command('look');
    expect(heard.split('Bob says, "once"')).toHaveLength(2);
    expect(heard).toMatch(/The Mystical Plaza\n/);
  }, SLOW);

  it('who - each gateway lists everyone in the cluster once', async () => {
    const dave = await on(gws.a!, 'dave');
    const erin = await on(gws.b!, 'erin');
    for (const c of [dave, erin]) {
      const list = await c.command('who');
      // `who` names the area (the plaza is in the Lantern Quarter); `where` the rooms, below.
      for (const name of ['Alice', 'Bob', 'Carol', 'Dave', 'Erin']) expect(list.match(new RegExp(`^  ${name} +(The Lantern Quarter|The Mystical Plaza)$`, 'gm')), list).toHaveLength(1);
      expect(list).toMatch(/^Players online: 5$/m);
    }
  }, SLOW);

  it('tell - a tell and its reply cross gateways; a tell to a player who is away says so', async () => {
    const [alice, bob] = clients;
    bob.drain();
    expect(await alice.command('tell bob across the bus')).toMatch(/You tell Bob, "across the bus"/);
    await bob.waitFor('Alice tells you, "across the bus"');
    expect(await bob.command('reply and back')).toMatch(/You tell Alice, "and back"/);
    await alice.waitFor('Bob tells you, "and back"');
    const fred = await on(gws.b!, 'fred');
    fred.send('quit');
    await fred.waitClosed();
    expect(await alice.command('tell fred are you there')).toMatch(/Fred is not online\./);
  }, SLOW);

  it('ignore - Bob on B ignores Alice on A: her say is dropped on B, her tell refused in the world; Carol on B hears her', async () => {
    const [alice, bob, carol] = clients;
    bob.drain();
    expect(await bob.command('ignore alice')).toMatch(/You ignore Alice: /);
    expect(await alice.command('tell bob psst')).toMatch(/Bob is ignoring you\./);
    bob.drain();
    await alice.command('say only for carol');
    await carol.waitFor('Alice says, "only for carol"');
    // Carol's line reaches Bob after Alice's would have: both fan out on gateway B, in order.
    await carol.command('say after her');
    await bob.waitFor('Carol says, "after her"');
    expect(bob.drain()).not.toMatch(/Alice says/);
    expect(await bob.command('unignore alice')).toMatch(/You hear Alice again\./);
  }, SLOW);

  it('takeover - logging in on gateway B takes over the session on A; the player stays where they stood', async () => {
    const gina = await on(gws.a!, 'gina');
    expect(await gina.command('south')).toMatch(/^The Moonlit Garden\n/);
    const watcher = await on(gws.a!, 'hugo');
    expect(await watcher.command('south')).toMatch(/Gina is here\./);
    const again = await on(gws.b!, 'gina', 'connect');
    await gina.waitFor('Your character has been taken over by a new connection. Goodbye.');
    await gina.waitClosed();
    expect(await again.command('look')).toMatch(/^The Moonlit Garden\n[\s\S]*Hugo is here\./);
    // B listens to the garden now: lines from A's player there reach Gina on B.
    expect(await watcher.command('say still here?')).toMatch(/You say, "still here\?"\n$/);
    await again.waitFor('Hugo says, "still here?"');
    expect(watcher.drain()).not.toMatch(/Gina (fades|leaves)/);
    const list = await watcher.command('where');
    expect(list.match(/^ {2}Gina +The Moonlit Garden$/gm), list).toHaveLength(1);
  }, SLOW);

  it('link-dead - a connection dropped on A leaves the character standing: who on B marks it, a login on B takes it back', async () => {
    const ivy = await on(gws.a!, 'ivy');
    expect(await ivy.command('north')).toMatch(/^The Old Library\n/);
    const jon = await on(gws.b!, 'jon');
    expect(await jon.command('north')).toMatch(/Ivy is here\./);
    ivy.close();
    await jon.waitFor('Ivy has lost the link.');
    expect(await jon.command('who')).toMatch(/^ {2}Ivy +The Lantern Quarter \(link-dead\)$/m);
    expect(await jon.command('tell ivy hello')).toBe('Ivy has lost the link for now: your words would not reach them.\n');
    const back = await on(gws.b!, 'ivy', 'connect');
    await jon.waitFor('Ivy has reconnected.');
    expect(await back.command('look')).toMatch(/^The Old Library\n[\s\S]*Jon is here\./);
    expect(jon.drain()).not.toMatch(/Ivy (fades|leaves|arrives)/);
    const who = await jon.command('who');
    expect(who).toMatch(/^ {2}Ivy +The Lantern Quarter$/m);
    expect(who.match(/Ivy/g), who).toHaveLength(1);
  }, SLOW);

  it('takeover - a guest is never taken over: the same guest name on the other gateway is refused', async () => {
    const owl = await TelnetClient.open(gws.a!.telnetPort);
    clients.push(owl);
    await owl.nextAnswer();
    expect(await owl.command('guest guestowl')).toMatch(/Welcome, Guestowl/);
    const second = await TelnetClient.open(gws.b!.telnetPort);
    clients.push(second);
    await second.nextAnswer();
    second.send('guest guestowl');
    await second.waitFor('guestowl is already here (on gateway gw-a); choose another name.');
    await second.waitClosed();
    expect(await owl.command('look')).toMatch(/^The Mystical Plaza\n/);
  }, SLOW);

  it('gmcp - a mapper on gateway B gets the room data of a plain player\'s turns run through gateway A, where no client takes any', async () => {
    const mapper = await RawTelnet.open(gws.b!.telnetPort, { gmcp: true });
    try {
      await mapper.until(() => mapper.agreed.has(GMCP), 'GMCP agreed');
      mapper.sendGmcp('Core.Supports.Set ["Room 1"]');
      await mapper.waitText('By what name');
      await mapper.command('create mapper secret', 'Mystical Plaza');
      const dora = await on(gws.a!, 'dora');
      // Gateway A hears within a heartbeat that B has a client taking data (B says so at once when the first comes).
      await waitUntil(async () => {
        await dora.command('east');
        await dora.command('west');
        return mapper.gmcp.some((m) => m.pkg === 'Room.AddPlayer' && (m.data as { name?: string }).name === 'dora');
      }, 10_000, () => 'the mapper never got Room.AddPlayer for dora');
    } finally {
      mapper.close();
    }
  }, SLOW);

  it('ghosts - kill -9 of gateway B under load: its players log in on A at once, A\'s players play on, B\'s are gone from the room, every item exists once', async () => {
    const movers = await Promise.all([on(gws.a!, 'ivan'), on(gws.b!, 'jade')]);
    const pip = await TelnetClient.open(gws.b!.telnetPort);
    clients.push(pip);
    await pip.nextAnswer();
    expect(await pip.command('guest guestpip')).toMatch(/Welcome, Guestpip/);
    const ghost = await on(gws.b!, 'kurt');
    expect(await ghost.command('west')).toMatch(/^The Lantern Market\n/);
    const lookout = await on(gws.a!, 'lena');
    expect(await lookout.command('west')).toMatch(/Kurt is here\./);
    let moving = true;
    // Settled at once: Jade's load fails the moment B dies, before anyone awaits it.
    const loads = movers.map((m, i) => moveItems(m, i, () => moving).then((r) => ({ sent: r.sent, failed: undefined as string | undefined }), (err: Error) => ({ sent: 0, failed: err.message })));
    await new Promise((r) => setTimeout(r, 1_500)); // some items in flight when the gateway dies
    await gws.b!.kill9();
    gws.b = undefined;
    moving = false;
    const [ivan] = await Promise.all(loads);
    expect(ivan.failed).toBeUndefined(); // A's player never noticed
    expect(ivan.sent).toBeGreaterThan(0);
    await movers[1].waitClosed(); // Jade's connection to B dropped
    // Jade was on B: she logs in again on A at once, before B's heartbeat has even timed out.
    const jade = await on(gws.a!, 'jade', 'connect');
    expect(await jade.command('look')).toMatch(/^The (Mystical Plaza|Lantern Market|Moonlit Garden)\n/);
    expect(await jade.command('inventory')).toMatch(/^You are carrying/);
    // A guest of B's comes back under the same name: B holds nothing any more, so it is not "already here".
    const pipAgain = await TelnetClient.open(gws.a!.telnetPort);
    clients.push(pipAgain);
    await pipAgain.nextAnswer();
    expect(await pipAgain.command('guest guestpip')).toMatch(/Welcome, Guestpip/);
    // Kurt did not come back: his ghost leaves the market within the bound.
    await waitUntil(async () => !/Kurt is here\./.test(await lookout.command('look')), 15_000, () => 'Kurt to leave the market');
    await waitUntil(() => /gateway reaped gateway=gw-b/.test(gws.a!.log()), 10_000, () => `gw-a to reap gw-b:\n${gws.a!.log().slice(-2000)}`);
    expect(gws.a!.log()).toMatch(/gateway reaped gateway=gw-b reason="timed out" players=[1-9]/);
    expect(await lookout.command('tell kurt hello?')).toMatch(/Kurt is not online\./);
    const list = await lookout.command('who');
    expect(list).not.toMatch(/^ {2}Kurt /m);
    expect(list).toMatch(/^ {2}Jade /m);
    // Let the items still moving settle, then count every item in the store.
    for (const c of [jade, ...movers.slice(0, 1)]) await c.command('look');
    const link = await NatsLink.connect(nats.urls, { name: 'test', log: silentLogger() });
    const store = await NatsKvStore.open(link, { ownsLink: true });
    const world = await loadLiveWorld(DEFAULT_WORLD);
    await waitUntil(async () => (await conservationErrors(store, world.definition)).length === 0, 10_000, () => 'every item held exactly once');
    expect(await conservationErrors(store, world.definition)).toEqual([]);
    await store.close();
  }, SLOW);

  it('ghosts - the last gateway killed and started again takes its last life\'s players out of the world', async () => {
    const mona = await on(gws.a!, 'mona');
    expect(await mona.command('south')).toMatch(/^The Moonlit Garden\n/);
    await gws.a!.kill9();
    gws.a = await gateway('gw-a', 2);
    await waitForNodes(gws.a.adminPort, ['m1', 'm2']);
    expect(gws.a.log()).toMatch(/gateway reaped gateway="any gone" reason=start players=[1-9]/);
    const nell = await on(gws.a, 'nell');
    expect(await nell.command('south')).not.toMatch(/Mona/);
    expect(await nell.command('tell mona hi')).toMatch(/Mona is not online\./);
  }, SLOW);
});
