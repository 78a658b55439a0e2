// The game over a real three-server NATS cluster: JetStream KV replicated 3 ways,
// clients given all three URLs. One nats-server at a time is killed with -9 under
// load (the one the gateway is on, then the bucket's leader): clients fail over,
// nothing acknowledged is lost, every item exists exactly once in KV, and the
// killed server restarts and catches up. Without nats-server these skip locally
// (with the reason) and fail under CI=true.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil } from './helpers/nats-server.js';
import { kvReplication, startNatsTrio, type NatsTrio } from './helpers/nats-trio.js';
import { ADMIN_TOKEN, checkBuilt, CLOSED_LOOP_LIMITS, spawnNode, waitForNodes, type NodeProcess } from './helpers/nats-cluster.js';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import { runSwarm } from '../bots/bot-swarm.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { NatsLink, type OutageEvent } from '../nats/nats-connection.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { Logger, silentLogger, type LogEvent } from '../support/logger.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 360_000;
/** Commands must be answered, late if need be (a JetStream election under load takes seconds). */
const COMMAND_TIMEOUT_MS = 150_000;

/** A logger that keeps its events for the test to read. */
function recordingLogger(): { log: Logger; events: LogEvent[] } {
  const log = new Logger(null);
  const events: LogEvent[] = [];
  log.subscribe((e) => events.push(e));
  return { log, events };
}

/** Waits until every copy of the bucket is on a running server and caught up. */
async function replicasCurrent(link: NatsLink, bucket: string, trio: NatsTrio): Promise<void> {
  let seen = '';
  await waitUntil(async () => {
    const r = await kvReplication(link.connection, bucket).catch((err: Error) => ({ leader: '', replicas: [], err: err.message }));
    seen = JSON.stringify(r);
    const names = [r.leader, ...r.replicas.map((x) => x.name)].sort();
    return r.leader !== '' && r.replicas.every((x) => x.current && !x.offline) && JSON.stringify(names) === JSON.stringify(trio.servers.map((s) => s.name).sort());
  }, 60_000, () => `bucket ${bucket} not back on three current copies: ${seen}`);
}

/** Starts any server an earlier test left down, so one failure does not take quorum from the next test. */
async function allRunning(trio: NatsTrio): Promise<void> {
  for (const [i, s] of trio.servers.entries()) if (!s.running) await trio.restart(i);
}

describeWithNats('nats trio', () => {
  let trio: NatsTrio;
  beforeAll(async () => {
    trio = await startNatsTrio();
  }, SLOW);
  afterAll(async () => {
    await trio?.cleanup();
  }, SLOW);

  it('kv - a bucket made with --kv-replicas 3 keeps 3 copies; writes acknowledged before kill -9 of its leader are all there after', async () => {
    const { log, events } = recordingLogger();
    const link = await NatsLink.connect(trio.urls, { name: 'trio-kv', log });
    const store = await NatsKvStore.open(link, { bucket: 'trio_kv', replicas: 3, log });
    try {
      expect(store.replicas).toBe(3);
      const before = await kvReplication(link.connection, 'trio_kv');
      expect(before.replicas).toHaveLength(2);

      // Asking for another count on an existing bucket uses it as it is, with a warning.
      const again = await NatsKvStore.open(link, { bucket: 'trio_kv', replicas: 1, log });
      expect(again.replicas).toBe(3);
      expect(events.find((e) => e.event === 'kv bucket replicas differ')?.fields).toMatchObject({ bucket: 'trio_kv', replicas: 3, asked: 1 });

      // Writers keep going while the leader dies: every write they were told succeeded must be readable after.
      const acked = new Map<string, number>();
      const failures: string[] = [];
      let writing = true;
      let writes = 0;
      const writers = [0, 1, 2, 3].map(async (w) => {
        for (let i = 0; writing || i < 20; i++) {
          const key = `w${w}/k${i % 25}`;
          const value = i;
          try {
            const current = await store.get(key);
            const r = await store.cas(key, value, current?.revision ?? 0);
            if (r.ok) acked.set(key, value);
            writes++;
          } catch (err) {
            failures.push((err as Error).message);
            acked.delete(key); // a write that failed was never acknowledged: it may or may not be there
          }
        }
      });
      const why = () => `${writes} writes acknowledged; failures: ${failures.slice(0, 3).join(' | ') || 'none'}`;
      await waitUntil(() => writes >= 40, 60_000, why);
      const leader = trio.indexOf(before.leader);
      await trio.kill9(leader);
      await waitUntil(async () => (await kvReplication(link.connection, 'trio_kv').catch(() => ({ leader: '' }))).leader !== '', 60_000, () => 'no new leader');
      const afterKill = writes;
      await waitUntil(() => writes > afterKill + 20, 90_000, () => `writes did not resume after the leader died: ${why()}`);
      writing = false;
      await Promise.all(writers);

      const reader = await NatsLink.connect(trio.urls, { name: 'trio-reader', log: silentLogger() });
      const check = await NatsKvStore.open(reader, { bucket: 'trio_kv', ownsLink: true });
      for (const [key, value] of acked) expect((await check.get(key))?.value, key).toBe(value);
      await check.close();

      await trio.restart(leader);
      await replicasCurrent(link, 'trio_kv', trio);
    } finally {
      await store.close();
      await link.close();
      await allRunning(trio);
    }
  }, SLOW);

  it('failover - a client whose server is killed moves to another at once; outage listeners (players) hear nothing', async () => {
    const { log, events } = recordingLogger();
    const link = await NatsLink.connect(trio.urls, { name: 'trio-probe', log });
    const heard: OutageEvent[] = [];
    link.onOutage((e) => heard.push(e));
    try {
      let on: number | undefined;
      await waitUntil(async () => (on = await trio.serverOf('trio-probe')) !== undefined, 10_000, () => 'the probe is on no server');
      await trio.kill9(on!);
      await waitUntil(() => events.some((e) => e.event === 'nats failed over' || e.event === 'nats reconnected'), 30_000, () => 'the link never came back');
      expect(events.map((e) => e.event)).toContain('nats failed over');
      expect(heard).toEqual([]);
      expect(link.server).not.toBe(`127.0.0.1:${trio.servers[on!].port}`);
      const rtt = await link.connection.rtt();
      expect(Number.isFinite(rtt) && rtt < 10_000, `the failed-over link answers a ping (rtt ${rtt} ms)`).toBe(true);
    } finally {
      await link.close();
      await allRunning(trio);
    }
  }, SLOW);

  it('kv - --kv-replicas 3 against a single server: mud serve stops with one line naming the fix', async () => {
    checkBuilt();
    const single = await startNatsServer();
    const dir = await mkdtemp(join(tmpdir(), 'mud-nats-single-'));
    try {
      const started = spawnServer(['--nats', single.url, '--store', 'nats', '--kv-replicas', '3', '--nodes', '0', '--data-dir', dir]);
      await expect(started).rejects.toThrow(/mud serve: cannot open the NATS KV bucket "mud" \(3 replicas\) at nats:\/\/127\.0\.0\.1:\d+: .*use --kv-replicas 1 on a single server/);
    } finally {
      await single.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  }, SLOW);

  describe('a gateway and two nodes on the trio', () => {
    let gw: ServerProcess | undefined;
    const nodes: NodeProcess[] = [];
    let dir = '';
    beforeAll(async () => {
      checkBuilt();
      dir = await mkdtemp(join(tmpdir(), 'mud-nats-trio-'));
      gw = await spawnServer(['--nats', trio.urls, '--store', 'nats', '--kv-replicas', '3', '--nodes', '0', '--dispatch', 'actor', '--data-dir', dir, '--admin-token', ADMIN_TOKEN, ...CLOSED_LOOP_LIMITS]);
      nodes.push(await spawnNode(trio.urls, 't1'), await spawnNode(trio.urls, 't2'));
      await waitForNodes(gw.adminPort, ['t1', 't2']);
    }, SLOW);
    afterAll(async () => {
      await gw?.stop();
      // MUD_TEST_LOGS=dir keeps every process's log for a look after a failure.
      if (process.env.MUD_TEST_LOGS && gw) {
        await writeFile(join(process.env.MUD_TEST_LOGS, 'trio-gateway.log'), gw.log());
        for (const n of nodes) await writeFile(join(process.env.MUD_TEST_LOGS, `trio-${n.id}.log`), n.log());
      }
      await Promise.all(nodes.map((n) => n.stop()));
      if (dir) await rm(dir, { recursive: true, force: true });
    }, SLOW);

    it('play - the gateway made the bucket with 3 copies and logs them', async () => {
      expect(gw!.log()).toMatch(/store opened kind=nats-kv bucket=mud replicas=3/);
      const link = await NatsLink.connect(trio.urls, { name: 'trio-look', log: silentLogger() });
      try {
        expect((await kvReplication(link.connection, 'mud')).replicas).toHaveLength(2);
      } finally {
        await link.close();
      }
      const alice = await player(gw!.telnetPort, 'alice');
      await armoryRound(alice);
      alice.close();
    }, SLOW);

    // The gateway's own server first, then whichever server leads the bucket then.
    for (const victim of ['the gateway\'s server', 'the KV bucket\'s leader'] as const) {
      it(`party - kill -9 of ${victim} mid-load: every command answered, items conserved in KV, the server rejoins`, async () => {
        await allRunning(trio);
        const link = await NatsLink.connect(trio.urls, { name: 'trio-watch', log: silentLogger() });
        try {
          await replicasCurrent(link, 'mud', trio);
          let target: number | undefined;
          if (victim === 'the gateway\'s server') {
            await waitUntil(async () => (target = await trio.serverOf('mud-gateway')) !== undefined, 10_000, () => 'the gateway is on no server');
          } else {
            target = trio.indexOf((await kvReplication(link.connection, 'mud')).leader);
          }
          const names = victim === 'the gateway\'s server' ? ['hana', 'ivan', 'jade'] : ['kira', 'liam', 'nora'];
          const movers = await Promise.all(names.map((n) => player(gw!.telnetPort, n)));
          let moving = true;
          const moves = movers.map((m) => armoryLoop(m, () => moving));
          let killed = false;
          const kill = new Map<number, () => Promise<void>>([[3, async () => { await trio.kill9(target!); killed = true; }]]);
          const steps: Promise<void>[] = [];
          const party = await runSwarm({
            // 12 s after the kill at second 3 (and 10 s more for a command in flight at the end): a JetStream
            // election takes seconds; a turn lost with the server is re-sent at once (mud.link.moved), not after 60 s.
            count: 20, telnetPort: gw!.telnetPort, rate: 0.5, durationMs: 15_000, wander: 0.2, concurrency: 20, commandTimeoutMs: COMMAND_TIMEOUT_MS,
            prefix: victim === 'the gateway\'s server' ? 'gs' : 'kl',
            onProgress: (phase, second) => {
              const step = phase === 'run' ? kill.get(second) : undefined;
              if (!step) return;
              kill.delete(second);
              steps.push(step());
            },
          });
          await Promise.all(steps);
          moving = false;
          const moved = await Promise.all(moves);
          expect(killed).toBe(true);
          expect(party.connected).toBe(20);
          expect(party.answered).toBe(party.sent);
          for (const e of party.firstErrors) expect(e).toMatch(/The world (shudders|is busy)/);
          for (const m of moved) expect(m.sent, 'a mover sent nothing').toBeGreaterThan(0);
          expect(moved.map((m) => m.answered)).toEqual(moved.map((m) => m.sent));
          for (const m of movers) m.close();

          const store = await NatsKvStore.open(link, {});
          const world = await loadLiveWorld(DEFAULT_WORLD);
          expect(await conservationErrors(store, world.definition)).toEqual([]);
          await store.close();

          await trio.restart(target!);
          await replicasCurrent(link, 'mud', trio);
          const after = await player(gw!.telnetPort, victim === 'the gateway\'s server' ? 'lena' : 'mona');
          await armoryRound(after);
          after.close();
          if (victim === 'the gateway\'s server') {
            // It moved to another server faster than players are told of an outage.
            const lost = gw!.log().indexOf(`nats disconnected server=127.0.0.1:${trio.servers[target!].port}`);
            expect(lost, 'the gateway never lost its server').toBeGreaterThanOrEqual(0);
            expect(gw!.log().indexOf('nats failed over', lost)).toBeGreaterThan(lost);
            expect(gw!.log()).not.toMatch(/nats reconnected/);
          }
          await waitForNodes(gw!.adminPort, ['t1', 't2']);
        } finally {
          await link.close();
          await allRunning(trio);
        }
      }, SLOW);
    }
  });
});

/** A round trip through the armory chest: items move between chest and player on whatever nodes run them. */
async function armoryRound(c: TelnetClient): Promise<void> {
  c.drain();
  expect(await c.command('east')).toMatch(/^The Old Armory\n/);
  expect(await c.command('open chest')).toMatch(/^(You open the iron-bound chest\.|The iron-bound chest is already open\.)\n$/);
  const took = await c.command('take sword from chest');
  const sword = /^You take (a [a-z -]+sword) from the iron-bound chest\.\n$/.exec(took)?.[1];
  expect(sword, took).toBeDefined();
  expect(await c.command('put sword in chest')).toBe(`You put ${sword} in the iron-bound chest.\n`);
  expect(await c.command('west')).toMatch(/^The Mystical Plaza\n/);
}

/** Takes things out of the armory chest and puts them back, over and over, while `going()`
 *  (closed loop: the gateway runs with `CLOSED_LOOP_LIMITS`). */
async function armoryLoop(c: TelnetClient, going: () => boolean): Promise<{ sent: number; answered: number }> {
  let sent = 0;
  let answered = 0;
  const run = async (line: string) => {
    sent++;
    await c.command(line, COMMAND_TIMEOUT_MS);
    answered++;
  };
  await run('east');
  await run('open chest');
  while (going()) {
    await run('take sword from chest');
    await run('inventory');
    await run('put sword in chest');
  }
  await run('west');
  return { sent, answered };
}
