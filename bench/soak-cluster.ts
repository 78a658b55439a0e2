// `npm run soak -- --cluster`: the soak on the network lab (bench/cluster-lab.ts, root only): traders
// carry items on both gateways for the whole run while, at random (seeded) moments, a node is cut from
// everything, a gateway from NATS, or the nats-server leading the KV bucket from the other two, each
// healed after a few seconds. At the end: every command answered, every item exactly once, and the
// history of every write checked (ops/history-check.ts: one home at a time, no acknowledged write lost,
// each message applied once, no item in two holders at one revision).
import { cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClusterLab, type ClusterLab } from './cluster-lab.js';
import { mulberry32 as random } from '../world/core/seeded-random.js';

export interface ClusterSoakOptions {
  durationS: number;
  seed: number;
  log?: (line: string) => void;
}

export interface ClusterSoakResult {
  seed: number;
  commands: number;
  answered: number;
  /** The slowest command, and how many took over a second (those in flight during a cut). */
  slowestMs: number;
  overSecond: number;
  failures: string[];
  chaos: Record<string, number>;
  itemErrors: string[];
  items: number;
  history: { writes: number; objects: number; rehomed: number; landed: number; violations: string[]; violationCount: number };
}

/** How long a cut lasts: long enough to be noticed (3 s heartbeats), and for the KV bucket, for the majority to elect a leader. */
const CUT_MS: Record<string, number> = { node: 6_000, gateway: 8_000, leader: 15_000 };
/** Quiet time after each heal, for the cluster to serve again before the next cut. */
const SETTLE_MS = 10_000;
const WARMUP_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function soakCluster(o: ClusterSoakOptions): Promise<ClusterSoakResult> {
  const say = o.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const rnd = random(o.seed);
  const lab = await startClusterLab({ history: true });
  try {
    say(`soak --cluster: seed ${o.seed}, ${o.durationS} s, 4 traders on each of 2 gateways; cuts: a node, a gateway from NATS, the KV leader from the other servers`);
    const trading = [0, 1].map((g) => lab.script('bots', 'lab-traders', [lab.gateways[g].address, '4000', '4', String(o.durationS), `sk${'ab'[g]}`], (o.durationS + 300) * 1000)
      .then((out) => JSON.parse(out.trim().split('\n').at(-1)!) as { sent: number; answered: number; slowestMs: number; overSecond: number; failures: string[] }));
    const chaos: Record<string, number> = { node: 0, gateway: 0, leader: 0 };
    const end = Date.now() + o.durationS * 1000;
    await sleep(WARMUP_MS);
    while (Date.now() + CUT_MS.leader + SETTLE_MS < end) {
      const r = rnd();
      const what = r < 0.4 ? 'node' : r < 0.75 ? 'gateway' : 'leader';
      chaos[what]++;
      say(`  ${new Date().toISOString()} ${await cutAndHeal(lab, what, rnd)}`);
      await sleep(SETTLE_MS);
    }
    const traders = await Promise.all(trading);
    const audit = JSON.parse((await lab.script('gw2', 'lab-audit', [lab.urls])).trim()) as { items: number; wrong: string[] };
    const history = JSON.parse((await lab.script('gw2', 'lab-history', [lab.urls, lab.historyDir!])).trim()) as ClusterSoakResult['history'];
    if (history.violationCount > 0) {
      // The lab's folder goes with it: the history that broke a promise is kept for reading.
      const kept = join(tmpdir(), `mud-soak-history-${o.seed}-${Date.now()}`);
      cpSync(lab.historyDir!, kept, { recursive: true });
      say(`the history (one file per gateway and node) is kept in ${kept}`);
    }
    return {
      seed: o.seed, chaos, items: audit.items, itemErrors: audit.wrong, history,
      commands: traders.reduce((n, t) => n + t.sent, 0), answered: traders.reduce((n, t) => n + t.answered, 0),
      slowestMs: Math.max(...traders.map((t) => t.slowestMs)), overSecond: traders.reduce((n, t) => n + t.overSecond, 0),
      failures: traders.flatMap((t) => t.failures),
    };
  } finally {
    await lab.close();
  }
}

/** One cut, held for its time, then healed; says what it cut. */
async function cutAndHeal(lab: ClusterLab, what: string, rnd: () => number): Promise<string> {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const servers = lab.nats.map((n) => n.host);
  if (what === 'node') {
    const node = pick(lab.nodes).host;
    lab.rig.cut(node);
    await sleep(CUT_MS.node);
    lab.rig.heal(node);
    return `${node} cut from everything for ${CUT_MS.node} ms`;
  }
  if (what === 'gateway') {
    const gw = pick(lab.gateways).host;
    lab.rig.separate(gw, servers);
    await sleep(CUT_MS.gateway);
    lab.rig.reunite(gw, servers);
    return `${gw} cut from NATS for ${CUT_MS.gateway} ms`;
  }
  const answer = JSON.parse((await lab.script('bots', 'lab-kv', ['leader', `nats://${lab.nats[0].address}:4222`], 30_000)).trim()) as { ok: boolean; leader?: string };
  const leader = answer.ok && servers.includes(answer.leader!) ? answer.leader! : pick(servers);
  const others = servers.filter((s) => s !== leader);
  lab.rig.separate(leader, others);
  await sleep(CUT_MS.leader);
  lab.rig.reunite(leader, others);
  return `${leader} (${answer.ok ? 'the KV leader' : 'a server: no leader known'}) cut from ${others.join(' and ')} for ${CUT_MS.leader} ms`;
}
