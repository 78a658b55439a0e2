// natskill: the game over a three-server NATS cluster (KV bucket on all three),
// players moving swords in and out of the armory chest, while one nats-server at a
// time is killed with -9 and started again: the gateway's own server, then the KV
// bucket's leader, then a follower. Per kill: how long commands stalled (the
// slowest command in flight at the kill or sent in the seconds after), and the
// gateway's fail-over time from its log. Then: commands lost, items not exactly once.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Histogram } from '../support/histogram.js';
import { NatsLink } from '../nats/nats-connection.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { silentLogger } from '../support/logger.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { itemHolders, readRecords } from '../ops/item-audit.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { kvReplication, startNatsTrio, type NatsTrio } from './nats-trio.js';
import { loadAverage, sleep, type BenchOptions, type Scenario, type Target } from './scenario.js';

const MUD = fileURLToPath(new URL('../bin/mud.js', import.meta.url));
/** A command slower than this around a kill counts towards that kill's stall. */
const STALL_WINDOW_MS = 3_000;
/** Past the engine's 60 s turn timeout: a turn lost with a server is retried then, and counts as a stall, not a loss. */
const COMMAND_TIMEOUT_MS = 150_000;
const KILLS = ['gateway-server', 'kv-leader', 'follower'] as const;
type Kill = (typeof KILLS)[number];

interface Sample {
  sent: number;
  ms: number;
}

export const natsKill: Scenario = {
  name: 'natskill',
  modes: ['actor'],
  about: 'kill -9 of one of three nats-servers at a time under play: stall per kill, fail-over time, commands lost, items not exactly once',
  async run(_mode, opts: BenchOptions) {
    const bin = ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server'].find((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);
    if (!bin) throw new Error('nats-server is not installed (apt-get install nats-server)');
    const players = opts.size ?? (opts.smoke ? 2 : 6);
    // The smoke run (inside npm test) only checks the cell works: one cheap kill.
    const kills: readonly Kill[] = opts.smoke ? ['gateway-server'] : KILLS;
    const trio = await startNatsTrio(bin);
    const dir = await mkdtemp(join(tmpdir(), 'mud-bench-natskill-'));
    let gateway: Gateway | undefined;
    const link = await NatsLink.connect(trio.urls, { name: 'bench-watch', log: silentLogger() });
    try {
      opts.progress(`natskill: gateway, 2 nodes, ${players} players over 3 nats-servers`);
      gateway = await Gateway.start(trio.urls, dir);
      const clients = await Promise.all(Array.from({ length: players }, (_, i) => login(gateway!.telnetPort, `mover${letters(i)}`)));
      const samples: Sample[] = [];
      let moving = true;
      const loops = clients.map((c) => moveSwords(c, samples, () => moving));
      await sleep(opts.smoke ? 500 : 2000);
      const killedAt: number[] = [];
      const killed = new Set<number>();
      for (const kind of kills) {
        const victim = await pick(kind, trio, link, killed);
        killed.add(victim);
        opts.progress(`natskill: kill -9 ${trio.servers[victim].name} (${kind})`);
        const at = performance.now();
        killedAt.push(at);
        await trio.kill9(victim);
        await sleep(STALL_WINDOW_MS + 1000);
        await trio.restart(victim);
        await allCurrent(link, trio);
        await flowing(samples, performance.now());
        await sleep(opts.smoke ? 200 : 1000);
      }
      moving = false;
      const counts = await Promise.all(loops);
      const sent = counts.reduce((n, c) => n + c.sent, 0);
      const answered = counts.reduce((n, c) => n + c.answered, 0);
      for (const c of clients) c.close();
      // Measured once every command has come back: one that stalled past the window counts in full.
      const stalls = Object.fromEntries(kills.map((kind, i) => [`stallMs.${kind}`, stallAfter(samples, killedAt[i])]));
      const store = await NatsKvStore.open(link, {});
      const world = await loadLiveWorld(DEFAULT_WORLD);
      const itemErrors = [...itemHolders(await readRecords(store), world.definition).values()].filter((where) => where.length !== 1).length;
      await store.close();

      const pauses = new Histogram();
      for (const ms of Object.values(stalls)) pauses.recordMs(ms);
      const calm = new Histogram();
      for (const s of samples) if (!killedAt.some((k) => s.sent + s.ms >= k && s.sent <= k + STALL_WINDOW_MS)) calm.recordMs(s.ms);
      const failovers = [...gateway.log().matchAll(/nats failed over .*downMs=(\d+)/g)].map((m) => Number(m[1]));
      const metrics = {
        kills: kills.length, stallP50Ms: pauses.quantile(0.5) / 1000, stallMaxMs: pauses.max / 1000, ...stalls,
        gatewayFailoverMs: failovers.length ? Math.max(...failovers) : -1, gatewayFailovers: failovers.length,
        noticedOutages: (gateway.log().match(/nats reconnected/g) ?? []).length,
        calmP50Ms: calm.quantile(0.5) / 1000, calmP99Ms: calm.quantile(0.99) / 1000,
        commands: sent, lost: sent - answered, itemErrors, loadAverage: loadAverage(),
      };
      const targets: Target[] = [
        { metric: 'lost', op: '==', value: 0, label: '0 commands lost' },
        { metric: 'itemErrors', op: '==', value: 0, label: 'every item exactly once in KV' },
        { metric: 'noticedOutages', op: '==', value: 0, label: 'players told of no outage (fail-over < 1 s)' },
      ];
      return { metrics, targets, setup: { players, nodes: 2, natsServers: 3, kvReplicas: 3, dispatch: 'actor', kills: kills.join('>') } };
    } finally {
      await gateway?.stop();
      await link.close();
      await trio.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** Which server to kill: the one the gateway is on, the bucket's leader, or a follower (one not killed yet if it can). */
async function pick(kind: Kill, trio: NatsTrio, link: NatsLink, killed: Set<number>): Promise<number> {
  if (kind === 'gateway-server') {
    const i = await trio.serverOf('mud-gateway');
    if (i === undefined) throw new Error('the gateway is on no server of the trio');
    return i;
  }
  const leader = trio.indexOf((await kvReplication(link.connection, 'mud')).leader);
  if (kind === 'kv-leader') return leader;
  const followers = [0, 1, 2].filter((i) => i !== leader);
  return followers.find((i) => !killed.has(i)) ?? followers[0];
}

/** The slowest command in flight at `at` (sent just before it) or sent within the window after it. */
function stallAfter(samples: Sample[], at: number): number {
  let worst = 0;
  for (const s of samples) if (s.sent >= at - 1000 && s.sent <= at + STALL_WINDOW_MS && s.sent + s.ms >= at) worst = Math.max(worst, s.ms);
  return worst;
}

/** Waits until a command sent after `since` has been answered: the next kill starts from a game that flows. */
async function flowing(samples: Sample[], since: number): Promise<void> {
  for (const deadline = Date.now() + 120_000; !samples.some((s) => s.sent > since); await sleep(50)) {
    if (Date.now() > deadline) throw new Error('commands did not flow again within 120 s of the restart');
  }
}

async function allCurrent(link: NatsLink, trio: NatsTrio): Promise<void> {
  for (const deadline = Date.now() + 60_000; ; await sleep(100)) {
    const r = await kvReplication(link.connection, 'mud').catch(() => undefined);
    if (r && r.leader && r.replicas.length === trio.servers.length - 1 && r.replicas.every((x) => x.current && !x.offline)) return;
    if (Date.now() > deadline) throw new Error(`the KV bucket's copies did not catch up: ${JSON.stringify(r)}`);
  }
}

async function login(port: number, name: string): Promise<TelnetClient> {
  const c = await TelnetClient.open(port);
  await c.nextAnswer(30_000);
  const answer = await c.command(`create ${name} secret`, 30_000);
  if (!answer.includes('Welcome')) throw new Error(`login of ${name} failed: ${answer}`);
  return c;
}

/** Into the armory; a sword out of the chest and back, over and over, timing each command. */
async function moveSwords(c: TelnetClient, samples: Sample[], going: () => boolean): Promise<{ sent: number; answered: number }> {
  let sent = 0;
  let answered = 0;
  const run = async (line: string) => {
    sent++;
    const t = performance.now();
    await c.command(line, COMMAND_TIMEOUT_MS);
    samples.push({ sent: t, ms: performance.now() - t });
    answered++;
  };
  await run('east');
  await run('open chest');
  while (going()) {
    await run('take sword from chest');
    await run('put sword in chest');
  }
  return { sent, answered };
}

function letters(i: number): string {
  return String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26));
}

/** The real `mud serve` on free ports over the trio, 2 local nodes, state in KV with 3 copies. */
class Gateway {
  private output = '';
  private constructor(private readonly child: ChildProcess, readonly telnetPort: number, private readonly exited: Promise<void>) {}

  static async start(urls: string, dataDir: string): Promise<Gateway> {
    const child = spawn(process.execPath, [MUD, 'serve', '--nats', urls, '--store', 'nats', '--kv-replicas', '3', '--nodes', '2',
      '--dispatch', 'actor', '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', '--data-dir', dataDir,
      '--commands-per-second', '1000000', '--command-burst', '1000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    let log = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the gateway did not start:\n${log.slice(-2000)}`)), 120_000);
      const scan = (d: Buffer) => {
        log += d.toString();
        const m = /listening protocol=telnet address=[\d.]+:(\d+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', scan);
      child.stderr!.on('data', scan);
      void exited.then(() => reject(new Error(`the gateway exited:\n${log.slice(-2000)}`)));
    });
    const g = new Gateway(child, port, exited);
    g.output = log;
    const keep = (d: Buffer) => { g.output += d.toString(); };
    child.stdout!.removeAllListeners('data').on('data', keep);
    child.stderr!.removeAllListeners('data').on('data', keep);
    return g;
  }

  log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}
