// A node joined again by a gateway answers from the store, not from the objects it cached before: a node
// cut off and healed is joined again, and meanwhile its objects may have been homed and written elsewhere
// (the node cut mid-trade, test/netns-lab.test.ts). Here, without network namespaces: a NATS node (the real
// NatsNode and NodeRuntime, in this process) caches the plaza; a second gateway running in-process writes it
// in the shared KV store; the node is joined again, and a look (a turn that writes nothing) sees that write.
// Without nats-server this skips locally (with the reason) and fails under CI=true.
import { afterEach, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { MOVED_SUBJECT, NatsLink } from '../nats/nats-connection.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { NatsLattice } from '../lattice/nats/nats-lattice.js';
import { NatsNode } from '../lattice/nats/nats-node.js';
import { NodeRuntime } from '../modes/node-runtime.js';
import { encode, HEARTBEAT_EVERY_MS, SUBJECTS, unwrap, type Control, type Hello } from '../nats/nats-wire.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { silentLogger } from '../support/logger.js';

const STORE = { kind: 'nats', bucket: 'mud' };

describeWithNats('node rejoin', () => {
  const closing: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closing.reverse()) await close().catch(() => undefined);
    closing.length = 0;
  });

  const log = silentLogger();
  /** A fresh nats-server, and a way to connect to it; both closed after the test. */
  const natsServer = async (): Promise<(name: string) => Promise<NatsLink>> => {
    const nats: TestNatsServer = await startNatsServer();
    closing.push(() => nats.cleanup());
    return async (name) => {
      const link = await NatsLink.connect(nats.url, { name, log });
      closing.push(() => link.close());
      return link;
    };
  };

  it('rejoin - a node joined again drops its cached objects: a look there sees what another home wrote meanwhile', async () => {
    const connect = await natsServer();
    const world = await loadLiveWorld(DEFAULT_WORLD);

    // Gateway A routes every object to node n1 over NATS; the state is in the KV bucket.
    const aLink = await connect('gateway-a');
    const aStore = await NatsKvStore.open(aLink, { bucket: STORE.bucket });
    const lattice = new NatsLattice({ link: aLink, log, definition: world.definition, localNodes: 0, store: { choice: STORE } });
    await lattice.start();
    const node = new NatsNode({ link: await connect('n1'), id: 'n1', log, service: (id, store, definition) => new NodeRuntime(id, store, definition) });
    closing.push(() => node.leave('test over'));
    await node.start();
    await waitUntil(() => lattice.nodes().includes('n1'), 10_000, () => 'n1 never joined gateway A');
    const a: EngineHarness = await engineHarness({ dispatch: 'actor', nodes: 0, store: aStore, lattice, world });
    closing.push(() => a.close());

    await a.engine.connect('player/ann');
    await a.type('player/ann', 'look'); // n1 now holds the plaza, with Ann alone in it

    // Gateway B runs its objects in-process over the same bucket: Bob enters the plaza, written by B.
    const b = await engineHarness({ dispatch: 'in-process', nodes: 0, store: await NatsKvStore.open(await connect('gateway-b'), { bucket: STORE.bucket }), world });
    closing.push(() => b.close());
    await b.engine.connect('player/bob');
    await b.type('player/bob', 'look');
    expect(b.lines.get('player/bob')!.join('\n')).toMatch(/Ann/);

    // n1 is joined again, as a gateway does with a node it heard again after counting it gone.
    const join: Control = { t: 'join', instance: node.instance, definition: world.definition, store: STORE };
    unwrap(await aLink.connection.request(SUBJECTS.control('n1'), encode(join), { timeout: 10_000 }), 'n1');

    const seen = a.lines.get('player/ann')!.length;
    await a.type('player/ann', 'look');
    const look = a.lines.get('player/ann')!.slice(seen).join('\n');
    expect(look, 'the look at n1 after its join').toMatch(/The Mystical Plaza/);
    expect(look, 'the look at n1 after its join').toMatch(/Bob/);
  }, 30_000);

  it('rejoin - a request given up on when its node was counted gone is not sent to it again when the link sends what is in flight again', async () => {
    const connect = await natsServer();
    const gateway = await connect('gateway');
    const lattice = new NatsLattice({ link: gateway, log, definition: (await loadLiveWorld(DEFAULT_WORLD)).definition, localNodes: 0, store: { choice: STORE } });
    closing.push(() => lattice.close());
    await lattice.start();
    // Two stand-in nodes on one connection (what the gateway sends them arrives in the order sent): each
    // beats and joins, and takes requests without answering them.
    const nodes = await connect('nodes');
    const received = new Map<string, number>();
    const beating = new Map<string, NodeJS.Timeout>();
    for (const id of ['n1', 'n2']) {
      received.set(id, 0);
      nodes.connection.subscribe(SUBJECTS.control(id), { callback: (err, msg) => { if (!err) msg.respond(encode({ r: { joined: id } })); } });
      nodes.connection.subscribe(SUBJECTS.node(id), { callback: (err) => { if (!err) received.set(id, received.get(id)! + 1); } });
      const beat = () => nodes.connection.publish(SUBJECTS.heartbeat, encode({ id, instance: id, pid: process.pid, host: 'test' } satisfies Hello));
      beat();
      beating.set(id, setInterval(beat, HEARTBEAT_EVERY_MS));
    }
    closing.push(async () => beating.forEach((t) => clearInterval(t)));
    await waitUntil(() => lattice.nodes().length === 2, 10_000, () => `the gateway lists ${lattice.nodes().join(', ') || 'no node'}`);

    // n1 takes a request and goes silent: counted gone, the request is given up (the engine would deliver it elsewhere).
    const givenUp = lattice.request('n1', { t: 'stats' }).then(() => 'answered', (err: Error) => err.message);
    await waitUntil(() => received.get('n1') === 1, 5_000, () => 'n1 never got the request');
    clearInterval(beating.get('n1'));
    expect(await givenUp).toMatch(/node n1 left \(timed out\)/);

    // n2's request is in flight when a peer says it moved: the gateway's link sends what is in flight again.
    lattice.request('n2', { t: 'stats' }).catch(() => undefined);
    await waitUntil(() => received.get('n2') === 1, 5_000, () => 'n2 never got its request');
    (await connect('a-peer')).connection.publish(MOVED_SUBJECT, 'a-peer');
    await waitUntil(() => received.get('n2') === 2, 5_000, () => 'n2\'s request in flight was not sent again');
    // n1's, sent before n2's, would have come first.
    expect(received.get('n1'), 'sends of the request given up on').toBe(1);
  }, 30_000);
});
