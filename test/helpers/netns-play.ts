// Play and checks on the network lab (bench/cluster-lab.ts), shared by the partition tests: a party,
// traders carrying items, "serving again" after a heal, the item audit and the history check.
import { execFileSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { startClusterLab, type ClusterLab, type LabOptions } from './netns-rig.js';
import { checkBuilt } from './nats-cluster.js';
import { labFailureLogs } from './netns-failure-logs.js';

/** A lab for the tests of one file, recording its history: started before them, removed after (with a
 *  check that none of its namespaces is left), each process's log and the history written to $LAB_LOG_DIR when set.
 *  A test that fails prints what the lab's processes logged that tells why (netns-failure-logs.ts). */
export function labForFile(o: Pick<LabOptions, 'world'> = {}): () => ClusterLab {
  let lab: ClusterLab | undefined;
  const ours = () => execFileSync('ip', ['netns', 'list']).toString().split('\n').filter((l) => l.startsWith(`mudlab-${process.pid}-`));
  beforeAll(async () => {
    checkBuilt();
    lab = await startClusterLab({ ...o, history: true });
  }, 180_000);
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      if (lab) process.stderr.write(labFailureLogs(lab));
    });
  });
  afterAll(async () => {
    if (lab && process.env.LAB_LOG_DIR) {
      for (const p of [...lab.gateways, ...lab.nodes, ...lab.nats]) writeFileSync(`${process.env.LAB_LOG_DIR}/${p.host}.log`, p.log());
      if (lab.historyDir) cpSync(lab.historyDir, `${process.env.LAB_LOG_DIR}/history`, { recursive: true });
    }
    await lab?.close();
    expect(ours()).toEqual([]);
  }, 60_000);
  return () => lab!;
}

export interface Party { connected: number; sent: number; answered: number; errors: number; refused: number }
export interface Traders { sent: number; answered: number; slowestMs: number; overSecond: number; failed: number; failures: string[] }

/** A party of `count` guests on gateway `gw` for `seconds`, from the bots' namespace. */
export async function party(lab: ClusterLab, gw: number, seconds: number, count = 12): Promise<Party> {
  const out = await lab.mud('bots', ['bots', '--host', lab.gateways[gw].address, '--telnet-port', '4000', '--count', String(count), '--guest',
    '--prefix', `guest${'ab'[gw]}`, '--duration', String(seconds), '--rate', '2', '--json']);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Party;
}

/** Serving again: a whole party on the first gateway with every command answered and no errors, within
 *  `boundMs` of `healedAt`. Resolves with how long after it that party ended. */
export async function servesAgain(lab: ClusterLab, healedAt: number, boundMs: number): Promise<number> {
  let after: Party | undefined;
  let why = '';
  while (Date.now() - healedAt < boundMs) {
    // A party with errors exits non-zero: not serving yet, try again.
    after = await party(lab, 0, 2, 8).catch((err: Error) => {
      why = `${new Date().toISOString()} ${err.message.split('\n').filter((l) => !/^(connecting|partying|leaving) /.test(l)).join(' ').slice(-600)}`;
      return undefined;
    });
    if (after && after.errors === 0 && after.answered === after.sent && after.connected === 8) break;
  }
  expect(after, `no party fully served within ${boundMs} ms of the heal; the last failed: ${why}`).toMatchObject({ connected: 8, errors: 0 });
  expect(after!.answered).toBe(after!.sent);
  const ms = Date.now() - healedAt;
  expect(ms).toBeLessThan(boundMs);
  return ms;
}

/** Four players carrying items back and forth on gateway `g` for `seconds`, or until `stopFile` exists (bench/lab-traders.ts). */
export async function trade(lab: ClusterLab, g: number, prefix: string, seconds: number, stopFile?: string): Promise<Traders> {
  const out = await lab.script('bots', 'lab-traders', [lab.gateways[g].address, '4000', '4', String(seconds), prefix, ...(stopFile ? [stopFile] : [])], 180_000);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Traders;
}

/** After a heal: every trader's command answered, every item once, the history kept (both checks run in host `from`). */
export async function expectAllKept(lab: ClusterLab, from: string, traders: Promise<Traders[]>): Promise<{ done: Traders[]; items: number; history: HistoryVerdict }> {
  const done = await traders;
  for (const t of done) {
    expect(t.failures).toEqual([]);
    expect(t.answered).toBe(t.sent);
  }
  const history = await expectHistoryKept(lab, from);
  return { done, items: await expectItemsOnce(lab, from, history.violations), history };
}

/** How long an item's transfer may stay in flight after the heal (a few of the engine's ~4 s retries). */
const IN_FLIGHT_MS = 20_000;

/** Every item exactly once in the bucket and every coin held (bench/lab-audit.ts, run in host `from`); resolves with how many items.
 *  Given the history's violations: an item that only one branch of a store's fork held (knownStoreFault)
 *  is reported, not failed, as the fork's loss, not ours. */
export async function expectItemsOnce(lab: ClusterLab, from: string, violations: string[] = []): Promise<number> {
  // A transfer (of an item or coins) still in flight is one a gateway may still be trying to land (a consequence
  // is tried every ~4 s until it does: dispatch/turn-retries.ts); audit again until none is, or IN_FLIGHT_MS has passed.
  let audit: { items: number; wrong: string[] };
  for (const deadline = Date.now() + IN_FLIGHT_MS; ;) {
    audit = JSON.parse((await lab.script(from, 'lab-audit', [lab.urls, lab.world])).trim()) as { items: number; wrong: string[] };
    if (!audit.wrong.some((w) => w.includes('(in flight:')) || Date.now() > deadline) break;
    process.stderr.write(`netns lab: audit: waiting for what is in flight: ${audit.wrong.join('; ')}\n`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
  const forked = new Set(knownStoreFault(violations).known.flatMap((v) => /; on one branch only: (.*)$/.exec(v)?.[1].split(', ') ?? []));
  const known = audit.wrong.filter((w) => forked.has(w.slice(0, w.indexOf(' '))));
  for (const w of known) process.stderr.write(`netns lab: audit: ${w} [reported, not failed: only one branch of a fork of nats-server ${natsServerVersion()} held it: nats-io/nats-server#4320]\n`);
  expect(audit.wrong.filter((w) => !known.includes(w))).toEqual([]);
  expect(audit.items).toBeGreaterThan(10);
  return audit.items;
}

const reported = new Set<string>();

/** `nats-server --version`, as x.y.z. */
function natsServerVersion(): string {
  return /v?(\d+\.\d+\.\d+)/.exec(execFileSync('nats-server', ['--version']).toString())?.[1] ?? '0.0.0';
}

/** Before 2.9.21 a clustered stream could acknowledge two compare-and-swaps of one key on the same revision
 *  (nats-io/nats-server#4320; docs/architecture/partitions.md, "What the checker found"). With such a server,
 *  a fork (two writes on one revision) is that fault's, and so is a violation of the same object that names
 *  one of the fork's revisions (its base, or either write: the branch the store dropped, a message the
 *  dropped branch applied): those are reported, not failed. Every other one fails, and with 2.9.21 or
 *  later every one does. */
function knownStoreFault(violations: string[]): { known: string[]; broken: string[] } {
  const [major, minor, patch] = natsServerVersion().split('.').map(Number);
  const old = major < 2 || (major === 2 && (minor < 9 || (minor === 9 && patch < 21)));
  if (!old) return { known: [], broken: violations };
  const objectOf = (v: string) => v.slice(0, v.indexOf(':'));
  const revisionsIn = (v: string) => [...v.matchAll(/\b(?:revision|at|and|behind) (\d+)/g)].map((m) => Number(m[1]));
  const forkRevisions = new Map<string, Set<number>>();
  for (const v of violations) {
    const fork = / two writes on revision (\d+) \(at (\d+) and (\d+)\)/.exec(v);
    if (!fork) continue;
    const revs = forkRevisions.get(objectOf(v)) ?? forkRevisions.set(objectOf(v), new Set()).get(objectOf(v))!;
    for (const r of fork.slice(1)) revs.add(Number(r));
  }
  const known = violations.filter((v) => revisionsIn(v).some((r) => forkRevisions.get(objectOf(v))?.has(r)));
  return { known, broken: violations.filter((v) => !known.includes(v)) };
}

export interface HistoryVerdict { writes: number; objects: number; landed: number; rehomed: number; violations: string[]; violationCount: number }

/** The history of every write of object records since the lab started, checked (bench/lab-history.ts,
 *  ops/history-check.ts): one home at a time, no acknowledged write lost, each message applied once, no
 *  item in two holders at one revision. The lab must record it (`startClusterLab({ history: true })`). */
export async function expectHistoryKept(lab: ClusterLab, from: string): Promise<HistoryVerdict> {
  if (!lab.historyDir) throw new Error('the lab records no history: start it with { history: true }');
  const verdict = JSON.parse((await lab.script(from, 'lab-history', [lab.urls, lab.historyDir, lab.world])).trim()) as HistoryVerdict;
  const { known, broken } = knownStoreFault(verdict.violations);
  // Each seen once: the history is the lab's whole, so a later check would report it again.
  for (const v of known) if (!reported.has(v)) process.stderr.write(`netns lab: history: ${v} [reported, not failed: a fork of nats-server ${natsServerVersion()}, older than 2.9.21: nats-io/nats-server#4320]\n`);
  for (const v of known) reported.add(v);
  expect(broken).toEqual([]);
  expect(verdict.writes).toBeGreaterThan(100);
  return verdict;
}
