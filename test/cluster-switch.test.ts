// One mode table for the cluster: two real gateway processes over a real
// nats-server share `mud node` processes and a JetStream KV bucket; a switch
// issued on either is the whole cluster's, fenced by epochs at the nodes.
// Without nats-server these skip locally (with the reason) and fail under CI=true.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { ADMIN_TOKEN, mudAdmin, status, waitForNodes } from './helpers/nats-cluster.js';
import { agreed, gatewayCluster, type GatewayCluster } from './helpers/gateway-pair.js';
import { spawnServer } from './helpers/server-process.js';
import { stopProcess } from './helpers/process-stop.js';
import { player } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 180_000;
const ADMIN = ['--admin-token', ADMIN_TOKEN];

/** Plays until `stop()`: each command must be answered (a prompt), or the loop throws. */
async function keepPlaying(p: TelnetClient, name: string, stop: () => boolean): Promise<{ sent: number; answered: number }> {
  const lines = ['look', 'east', 'open chest', 'take sword from chest', 'put sword in chest', 'west', `emote hums ${name}`];
  let sent = 0;
  let answered = 0;
  while (!stop()) {
    const line = lines[sent % lines.length];
    sent++;
    const reply = await p.command(line, 60_000);
    if (reply.includes('The world shudders')) throw new Error(`${name}: ${line} was lost: ${reply}`);
    answered++;
  }
  return { sent, answered };
}

/** POST /admin/dispatch, without starting the CLI. */
async function dispatchNow(adminPort: number, spec: string): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${adminPort}/admin/dispatch`, {
    method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ spec }),
  });
  if (!res.ok) throw new Error(`dispatch ${spec}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function checkConserved(c: GatewayCluster): Promise<void> {
  const kv = await c.kv();
  try {
    expect(await conservationErrors(kv, (await loadLiveWorld(DEFAULT_WORLD)).definition)).toEqual([]);
  } finally {
    await kv.close();
  }
}

/** A nats-server and gateways A and B (actor) over `nodes`, for one describe block. */
function twoGateways(nodes: string[]): () => GatewayCluster {
  let nats: TestNatsServer | undefined;
  let c: GatewayCluster | undefined;
  beforeAll(async () => {
    nats = await startNatsServer();
    c = await gatewayCluster(nats.url, ['A', 'B'], nodes, ['--dispatch', 'actor']);
  }, SLOW);
  afterAll(async () => {
    await c?.close();
    await nats?.cleanup();
  }, SLOW);
  return () => c!;
}

describeWithNats('cluster switch', () => {
  const cluster = twoGateways(['n1', 'n2']);
  let c: GatewayCluster | undefined;
  beforeAll(() => {
    c = cluster();
  });

  it('switch - a switch issued on gateway A is seen in B\'s status (table and epoch); players on both keep being answered', async () => {
    const [a, b] = c!.gateways;
    const start = await agreed([a, b]);
    expect(start.mode).toBe('actor');
    const alice = await player(a.telnetPort, 'alice');
    const bob = await player(b.telnetPort, 'bob');
    let playing = true;
    const plays = [keepPlaying(alice, 'alice', () => !playing), keepPlaying(bob, 'bob', () => !playing)];
    const specs: Array<[typeof a, string]> = [[a, 'function'], [b, 'room=function,default=actor'], [a, 'item=function'], [b, 'actor']];
    let epoch = start.epoch;
    for (const [gw, spec] of specs) {
      const out = await mudAdmin(gw.adminPort, 'dispatch', spec);
      expect(out).toMatch(/^dispatch: .* \(players paused/);
      const now = await agreed([a, b]);
      expect(now.epoch).toBe(++epoch);
      expect(now.mode).toBe(out.slice('dispatch: '.length, out.indexOf(' (players paused')));
    }
    playing = false;
    const results = await Promise.all(plays);
    for (const r of results) expect(r.answered).toBe(r.sent);
    expect(results.every((r) => r.sent > 0)).toBe(true);
    expect(b.log()).toMatch(/mode table adopted .*epoch=/);
    alice.close();
    bob.close();
    await checkConserved(c!);
  }, SLOW);

  it('in-process - refused with a second gateway live, naming actor and function', async () => {
    const [a] = c!.gateways;
    const before = await agreed(c!.gateways);
    await expect(mudAdmin(a.adminPort, 'dispatch', 'room=in-process')).rejects.toThrow(/in-process runs each object on the gateway that serves the turn.*use actor or function/);
    expect(await agreed(c!.gateways)).toEqual(before);
  }, SLOW);

  it('restart - a gateway started with another --dispatch adopts the cluster\'s table and epoch', async () => {
    const b = c!.gateways.find((g) => g.id === 'B')!;
    await b.stop();
    const again = await c!.start('B', ['--dispatch', 'function']);
    const a = c!.gateways.find((g) => g.id === 'A')!;
    const both = await agreed([a, again]);
    expect(both.mode).toBe((await status(a.adminPort)).mode);
    expect(again.log()).toMatch(/dispatch not applied asked=function why="the cluster already has a mode table"/);
  }, SLOW);

  it('pause - a SIGSTOPped gateway is left out of a switch, then adopts its epoch when resumed; its player is answered', async () => {
    const [a, b] = [c!.gateways.find((g) => g.id === 'A')!, c!.gateways.find((g) => g.id === 'B')!];
    const carl = await player(b.telnetPort, 'carl');
    expect(await carl.command('east')).toMatch(/^The Old Armory\n/);
    const before = await agreed([a, b]);
    await stopProcess(b.child);
    let resumed = false;
    try {
      // Issued at once, so A still counts B as live and must wait out its silence.
      const out = await mudAdmin(a.adminPort, 'dispatch', before.mode === 'function' ? 'actor' : 'function');
      expect(out).toMatch(/^dispatch: /);
      expect(a.log()).toMatch(/switch goes on without gateways .*gateways=B/);
      const command = carl.command('west', 60_000); // typed while B is stopped
      b.child.kill('SIGCONT');
      resumed = true;
      // Answered by the plaza's look alone: the resumed gateway puts Carl back in the world (A reaped him) only
      // between his commands (Session.reenter), never beside the move, which it would undo.
      expect(await command).toMatch(/^The Mystical Plaza\n/);
      const after = await agreed([a, b]);
      expect(after.epoch).toBe(before.epoch + 1);
      expect(await carl.command('look')).toMatch(/^The Mystical Plaza\n/);
    } finally {
      if (!resumed) b.child.kill('SIGCONT');
      carl.close();
    }
  }, SLOW);

  it('crash - a gateway SIGKILLed as a switch begins does not wedge it; it restarts at the current epoch', async () => {
    const a = c!.gateways.find((g) => g.id === 'A')!;
    let b = c!.gateways.find((g) => g.id === 'B')!;
    const before = await agreed([a, b]);
    const switching = mudAdmin(a.adminPort, 'dispatch', before.mode === 'actor' ? 'function' : 'actor');
    await b.kill9();
    expect(await switching).toMatch(/^dispatch: /);
    expect((await status(a.adminPort)).epoch).toBe(before.epoch + 1);
    b = await c!.start('B');
    expect((await agreed([a, b])).epoch).toBe(before.epoch + 1);
    await checkConserved(c!);
  }, SLOW);

  it('crash - the initiator SIGKILLed while others are prepared: they resume at the stored epoch, and the next switch goes through', async () => {
    const a = c!.gateways.find((g) => g.id === 'A')!;
    const b = c!.gateways.find((g) => g.id === 'B')!;
    await mudAdmin(a.adminPort, 'dispatch', 'actor');
    const before = await agreed([a, b]);
    const erin = await player(a.telnetPort, 'erin');
    const dana = await player(b.telnetPort, 'dana');
    // Every node paused: erin's turn stays in flight, so A's own drain cannot finish and A never reaches its commit.
    const mark = b.log().length; // B's log from here on
    const since = () => b.log().slice(mark);
    let stopped = true;
    for (const n of c!.nodes) await stopProcess(n.child);
    try {
      const stuck = erin.command('look', 60_000).catch(() => 'closed');
      // Straight to the admin API (no CLI start-up): the nodes must not time out before A asks B to prepare.
      const doomed = dispatchNow(a.adminPort, 'function').catch(() => 'died');
      await waitUntil(() => /switch prepared .*from=A/.test(since()), 30_000, () => `B never prepared:\n${since()}`);
      const held = dana.command('look', 60_000); // held at B: it waits for a decision that will not come
      await a.kill9();
      for (const n of c!.nodes) n.child.kill('SIGCONT');
      stopped = false;
      await Promise.all([stuck, doomed]);
      expect(await held).toMatch(/(^|\n)The Mystical Plaza\n/);
      expect(since()).toMatch(/switch decision not heard .*from=A/);
      expect((await status(b.adminPort)).epoch).toBe(before.epoch); // the switch never committed
      // A's lease outlives it until its deadline; B's switch waits for that, then goes through.
      expect(await mudAdmin(b.adminPort, 'dispatch', 'room=function,default=actor')).toMatch(/^dispatch: default=actor, room=function /);
      expect((await status(b.adminPort)).epoch).toBe(before.epoch + 1);
      // Erin's departure (A's ghosts reaped) may arrive in the middle: the room is what matters.
      expect(await dana.command('east')).toMatch(/(^|\n)The Old Armory\n/);
    } finally {
      if (stopped) for (const n of c!.nodes) n.child.kill('SIGCONT');
      erin.close();
      dana.close();
    }
    await c!.start('A');
    expect((await agreed(c!.gateways)).epoch).toBe(before.epoch + 1);
    await checkConserved(c!);
  }, SLOW);
});

describeWithNats('cluster switch - in-process at start', () => {
  let nats: TestNatsServer;
  let c: GatewayCluster | undefined;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await c?.close();
    await nats?.cleanup();
  }, SLOW);

  it('in-process - a gateway joining a cluster whose table names in-process is refused with one clear line', async () => {
    c = await gatewayCluster(nats.url, ['solo'], ['m1'], ['--dispatch', 'in-process']);
    const refused = await spawnServer(['--nats', nats.url, '--store', 'nats', '--nodes', '0', '--gateway-id', 'second', '--data-dir', c.gateways[0].dir + '-2', ...ADMIN])
      .then(() => 'started', (err: Error) => err.message);
    expect(refused).toMatch(/mud serve: the cluster's mode table \(in-process\) names in-process: .*use actor or function/);
    // The one gateway alone may run in-process; switching it away lets a second one in.
    expect(await mudAdmin(c.gateways[0].adminPort, 'dispatch', 'actor')).toMatch(/^dispatch: actor /);
    const second = await c.start('second');
    expect((await agreed(c.gateways)).mode).toBe('actor');
    expect(second.log()).toMatch(/dispatch not applied/);
  }, SLOW);
});

describeWithNats('cluster switch - world reload', () => {
  let nats: TestNatsServer;
  let c: GatewayCluster | undefined;
  const worlds = new Map<string, string>();
  beforeAll(async () => {
    nats = await startNatsServer();
    // Each gateway reads its own copy of the world files, as on separate machines.
    for (const id of ['A', 'B']) {
      const dir = await mkdtemp(join(tmpdir(), `mud-world-${id}-`));
      await cp(DEFAULT_WORLD, dir, { recursive: true });
      worlds.set(id, dir);
    }
    c = await gatewayCluster(nats.url, [], ['r1']);
    for (const id of ['A', 'B']) await c.start(id, ['--dispatch', 'actor', '--world', worlds.get(id)!]);
    for (const g of c.gateways) await waitForNodes(g.adminPort, ['r1']);
  }, SLOW);
  afterAll(async () => {
    await c?.close();
    await nats?.cleanup();
    for (const dir of worlds.values()) await rm(dir, { recursive: true, force: true });
  }, SLOW);

  const plaza = (id: string) => join(worlds.get(id)!, 'rooms', 'plaza.yaml');
  const rewrite = async (id: string, from: string, to: string) => writeFile(plaza(id), (await readFile(plaza(id), 'utf8')).replace(from, to));

  it('reload - mud reload on A reloads every gateway from its own world files under one hold', async () => {
    const [a, b] = c!.gateways;
    const fay = await player(b.telnetPort, 'fay');
    expect(await fay.command('look')).toMatch(/Cobblestones worn smooth/);
    for (const id of ['A', 'B']) await rewrite(id, 'Cobblestones worn smooth', 'Cobblestones polished bright');
    expect(await mudAdmin(a.adminPort, 'reload')).toMatch(/^world reloaded/);
    expect(await fay.command('look')).toMatch(/Cobblestones polished bright/);
    expect(b.log()).toMatch(/switch prepared .*kind=reload/);

    // B's files broken: the reload is refused everywhere with B's reason, and both keep the running world.
    for (const id of ['A', 'B']) await rewrite(id, 'Cobblestones polished bright', 'Cobblestones gleaming');
    await writeFile(join(worlds.get('B')!, 'rooms', 'broken.yaml'), 'rooms:\n  - id: [unclosed\n');
    await expect(mudAdmin(a.adminPort, 'reload')).rejects.toThrow(/gateway B refused the reload: [\s\S]*broken\.yaml/);
    expect(await fay.command('look')).toMatch(/Cobblestones polished bright/);
    const gus = await player(a.telnetPort, 'gus');
    expect(await gus.command('look')).toMatch(/Cobblestones polished bright/);
    fay.close();
    gus.close();
  }, SLOW);
});

const PLAY = ['look', 'east', 'west', 'open chest', 'take sword from chest', 'put sword in chest', 'get all', 'drop all', 'take key', 'drop key', 'inventory', 'take apple', 'drop apple'];
const SPECS = ['actor', 'function', 'room=function,default=actor', 'item=function,default=actor', 'room/mystical_plaza=function'];
const SEED = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);

describeWithNats('cluster switch - random switches on random gateways', () => {
  const cluster = twoGateways(['q1', 'q2']);

  it('property - players on both gateways play while switches are issued on either: every item once, every command answered once', async () => {
    console.log(`cluster switch (processes) property seed: ${SEED} (replay with FC_SEED=${SEED})`);
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(fc.oneof(fc.constantFrom(...PLAY), fc.constant('EMOTE')), { minLength: 4, maxLength: 12 }), { minLength: 2, maxLength: 4 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 1 }), fc.constantFrom(...SPECS)), { minLength: 1, maxLength: 4 }),
      async (scripts, switches) => {
        run++;
        const gws = cluster().gateways;
        const players = await Promise.all(scripts.map((_, i) => player(gws[i % 2].telnetPort, `prop${'abcdefghij'[run]}p${'abcd'[i]}`)));
        try {
          let token = 0;
          const play = async (p: TelnetClient, script: string[]) => {
            for (const line of script) {
              if (line !== 'EMOTE') {
                expect(await p.command(line, 60_000)).not.toMatch(/The world shudders/);
                continue;
              }
              const t = `tok${run}x${token++}q`;
              const reply = await p.command(`emote says ${t}`, 60_000);
              expect(reply.split(t).length - 1, `${t} in ${JSON.stringify(reply)}`).toBe(1);
            }
          };
          const switcher = async () => {
            for (const [delay, g, spec] of switches) {
              await new Promise((r) => setTimeout(r, delay));
              expect(await mudAdmin(gws[g].adminPort, 'dispatch', spec)).toMatch(/^dispatch: /);
            }
          };
          await Promise.all([...players.map((p, i) => play(p, scripts[i])), switcher()]);
          await agreed(gws);
        } finally {
          for (const p of players) p.close();
        }
        await checkConserved(cluster());
      },
    ), { numRuns: 3, seed: SEED, endOnFailure: true });
  }, 600_000);
});
