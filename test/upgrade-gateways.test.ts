// A rolling `mud upgrade` of a cluster (real nats-server, real `mud serve --nats
// --store nats` gateways and a real `mud node`): each gateway in turn hands its
// players to a successor built from other code, which goes on as the same
// gateway (its id and instance), so the other gateway sees nobody leave, reaps
// nobody, and players on both keep talking to each other; every item exists
// exactly once after. The first gateway goes over in actor mode, the second after a
// live switch to function mode (one cluster for both: clusters are slow to start).
// Without nats-server this skips locally and fails under CI=true.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { agreed, gatewayCluster, type Gateway, type GatewayCluster } from './helpers/gateway-pair.js';
import { ADMIN_TOKEN, CLOSED_LOOP_LIMITS, status } from './helpers/nats-cluster.js';
import { player } from './helpers/test-server.js';
import { alive, copiedBuild } from './helpers/upgrade-builds.js';
import { conservationErrors } from './helpers/conservation.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { SHIMMER } from '../portal/handover.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 180_000;
const NEW_SAVE = 'The new build answers: there is no need to save.';
const count = (text: string, part: string): number => text.split(part).length - 1;

async function upgrade(gw: Gateway): Promise<{ ok?: boolean; pid?: number; sessions?: number; error?: string }> {
  const res = await fetch(`http://127.0.0.1:${gw.adminPort}/admin/upgrade`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const body = (await res.json()) as { ok?: boolean; pid?: number; sessions?: number; error?: string };
  if (res.status !== 200) throw new Error(`upgrade of ${gw.id}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function until(test: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeWithNats('mud upgrade, rolling over two gateways', () => {
  let nats: TestNatsServer;
  let cluster: GatewayCluster;
  const successors: number[] = [];
  const clients: TelnetClient[] = [];
  let build: ReturnType<typeof copiedBuild> | undefined;

  beforeAll(async () => {
    build = copiedBuild('upgrade-gw', { 'portal/session-commands.js': ['There is no need: the world keeps your character and what you carry as you play, after every change.', NEW_SAVE] });
    nats = await startNatsServer();
    process.env.MUD_UPGRADE_ENTRY = build.entry; // the gateways' successors start from the new build
    cluster = await gatewayCluster(nats.url, ['gw-a', 'gw-b'], ['m1'], ['--dispatch', 'actor', ...CLOSED_LOOP_LIMITS]);
    delete process.env.MUD_UPGRADE_ENTRY;
  }, SLOW);

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const pid of successors.filter(alive)) process.kill(pid, 'SIGTERM');
    await until(() => !successors.some(alive), 'the successors to stop').catch(() => successors.filter(alive).forEach((p) => process.kill(p, 'SIGKILL')));
    await cluster?.close();
    await nats?.cleanup();
    build?.remove();
  }, SLOW);

  it('each gateway in turn (actor, then function): its players keep their sockets and things, hear the other gateway and are heard; nobody is reaped; every item once', async () => {
    const [a, b] = cluster.gateways;
    const ann = await player(a.telnetPort, 'ann');
    const ben = await player(b.telnetPort, 'ben');
    clients.push(ann, ben);
    await ann.command('east');
    await ann.command('open chest');
    expect(await ann.command('get all from chest')).toMatch(/You take/);
    await ann.command('west');

    for (const [gw, mover, other, mode] of [[a, ann, ben, 'actor'], [b, ben, ann, 'function']] as const) {
      const otherGw = gw === a ? b : a;
      if (mode === 'function') {
        const res = await fetch(`http://127.0.0.1:${a.adminPort}/admin/dispatch`, {
          method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ spec: 'function' }),
        });
        expect(res.ok).toBe(true);
        await waitUntil(async () => (await agreed([a, b])).mode.includes('function'), 30_000, () => 'the gateways never agreed on function mode');
      }
      const mark = otherGw.log().length;
      mover.drain();
      const outcome = upgrade(gw);
      await until(() => /handing over/.test(gw.log()), `${gw.id} to begin the hand-over`);
      mover.send('inventory');
      const body = await outcome;
      expect(body).toMatchObject({ ok: true, sessions: 1 });
      successors.push(body.pid!);
      await until(() => gw.child.exitCode !== null, `${gw.id}'s old process to exit`);
      // The line typed during the hand-over is answered once.
      await mover.waitFor('You are carrying', 30_000);
      const seen = mover.drain() + (await mover.command('save'));
      expect(count(seen, 'You are carrying')).toBe(1);
      expect(count(seen, SHIMMER)).toBe(1);
      expect(seen).toContain(NEW_SAVE);
      // Across gateways, both ways: the line bus and the session directory work behind the successor.
      other.drain();
      mover.send(`say hello from ${gw.id}`);
      await other.waitFor(`hello from ${gw.id}`);
      mover.drain();
      other.send(`say welcome back ${gw.id}`);
      await mover.waitFor(`welcome back ${gw.id}`);
      // The other gateway never saw this one leave: no reap, no timers moved.
      expect(otherGw.log().slice(mark)).not.toMatch(new RegExp(`gateway left gateway=${gw.id}`));
      expect(otherGw.log().slice(mark)).not.toMatch(/gateway reaped/);
      expect((await status(gw.adminPort)).gateways?.length).toBe(2);
    }
    expect(await ann.command('inventory')).toMatch(/rune-etched sword/);
    expect(ann.isClosed || ben.isClosed).toBe(false);

    const kv = await cluster.kv();
    try {
      expect(await conservationErrors(kv, (await loadLiveWorld(DEFAULT_WORLD)).definition)).toEqual([]);
    } finally {
      await kv.close();
    }
  }, SLOW);
});
