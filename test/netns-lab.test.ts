// The cluster on a network of hosts (one network namespace each, addresses in 198.18.0.0/24):
// three routed nats-servers, two gateways, four nodes, bots in their own namespace. It serves
// a party on both gateways; a node cut off from everything (its cable pulled, the process still
// running) and healed leaves the cluster serving, within a bound written down here; and the rig
// removes every namespace it made.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNetns, startClusterLab, type ClusterLab } from './helpers/netns-rig.js';
import { checkBuilt } from './helpers/nats-cluster.js';

interface Party { connected: number; sent: number; answered: number; errors: number; refused: number }

/** How long the cluster may take to serve every command again after a node is healed. */
const SERVES_AGAIN_MS = 30_000;
/** How long the traders of the gateway cut carry items: past the cut (about 15 s), the heal and the checks after it. */
const TRADE_S = 32;

const ours = () => execFileSync('ip', ['netns', 'list']).toString().split('\n').filter((l) => l.startsWith(`mudlab-${process.pid}-`));

describeWithNetns('netns lab', () => {
  let lab: ClusterLab | undefined;
  const party = async (gw: number, seconds: number, count = 12): Promise<Party> => {
    const out = await lab!.mud('bots', ['bots', '--host', lab!.gateways[gw].address, '--telnet-port', '4000', '--count', String(count), '--guest',
      '--prefix', `guest${'ab'[gw]}`, '--duration', String(seconds), '--rate', '2', '--json']);
    return JSON.parse(out.trim().split('\n').at(-1)!) as Party;
  };
  /** Serving again: a whole party on the first gateway with every command answered, and no errors,
   *  within SERVES_AGAIN_MS of `healedAt`. Resolves with how long after it that party ended. */
  const servesAgain = async (healedAt: number): Promise<number> => {
    let after: Party | undefined;
    while (Date.now() - healedAt < SERVES_AGAIN_MS) {
      after = await party(0, 2, 8);
      if (after.errors === 0 && after.answered === after.sent && after.connected === 8) break;
    }
    expect(after).toMatchObject({ connected: 8, errors: 0 });
    expect(after!.answered).toBe(after!.sent);
    const ms = Date.now() - healedAt;
    expect(ms).toBeLessThan(SERVES_AGAIN_MS);
    return ms;
  };
  /** Four players carrying items back and forth on gateway `g` for `seconds`. */
  const trade = (g: number, prefix: string, seconds: number) => lab!.script('bots', 'lab-traders', [lab!.gateways[g].address, '4000', '4', String(seconds), prefix], 180_000)
    .then((out) => JSON.parse(out.trim().split('\n').at(-1)!) as { sent: number; answered: number; slowestMs: number; overSecond: number; failed: number; failures: string[] });

  beforeAll(async () => {
    checkBuilt();
    lab = await startClusterLab();
  }, 180_000);
  afterAll(async () => {
    if (process.env.LAB_LOG_DIR) for (const p of [...lab!.gateways, ...lab!.nodes, ...lab!.nats]) writeFileSync(`${process.env.LAB_LOG_DIR}/${p.host}.log`, p.log());
    await lab?.close();
    expect(ours()).toEqual([]);
  }, 60_000);

  it('netns lab - each process has its own address; a party plays on both gateways from the bots namespace', async () => {
    const addresses = [...lab!.rig.hosts.values()].map((h) => h.address);
    expect(new Set(addresses).size).toBe(10);
    for (const a of addresses) expect(a).toMatch(/^198\.18\.0\.\d+$/);
    const [a, b] = await Promise.all([party(0, 3), party(1, 3)]);
    for (const r of [a, b]) {
      expect(r.connected).toBe(12);
      expect(r.errors).toBe(0);
      expect(r.answered).toBe(r.sent);
    }
  }, 120_000);

  it('netns lab - a node cut from everything and healed under item transfers: every command answered, every item exactly once, serving again within the bound', async () => {
    const node = lab!.nodes[0];
    const gw = lab!.gateways[0];
    const traders = Promise.all([trade(0, 'tra', 12), trade(1, 'trb', 12)]);
    const mark = gw.log().length;
    lab!.rig.cut(node.host);
    await lab!.waitForLog(gw, new RegExp(`node left node=${node.host}`), 15_000, mark);
    const during = await party(0, 3);
    expect(during.connected).toBe(12);
    lab!.rig.heal(node.host);
    const healedAt = Date.now();
    const servesAgainMs = await servesAgain(healedAt);
    for (const t of await traders) {
      expect(t.failures).toEqual([]);
      expect(t.answered).toBe(t.sent);
    }
    const audit = JSON.parse((await lab!.script('gw1', 'lab-audit', [lab!.urls])).trim()) as { items: number; wrong: string[] };
    process.stderr.write(`netns lab: node cut: party during the cut answered ${during.answered}/${during.sent}; serving again ${servesAgainMs} ms after the heal; `
      + `traders answered ${(await traders).map((t) => `${t.answered}/${t.sent}`).join(' and ')}; ${audit.items} items audited\n`);
    expect(audit.wrong).toEqual([]);
    expect(audit.items).toBeGreaterThan(10);
    expect(node.child.exitCode === null || node.child.exitCode === 2).toBe(true);
  }, 240_000);

  it('netns lab - a gateway cut from NATS and healed under item transfers: its players play on there, one session each, every command answered, every item exactly once', async () => {
    const [gw1, gw2] = lab!.gateways;
    const nats = lab!.nats.map((n) => n.host);
    const from1 = gw1.log().length;
    const from2 = gw2.log().length;
    const traders = Promise.all([trade(0, 'tga', TRADE_S), trade(1, 'tgb', TRADE_S)]);
    await lab!.waitForLog(gw1, /(login player=player\/tga[^]*){4}/, 30_000, from1);
    await lab!.waitForLog(gw2, /(login player=player\/tgb[^]*){4}/, 30_000, from2);
    const cutAt = Date.now();
    lab!.rig.separate(gw1.host, nats);
    // The others count it gone and take its players out of the world; it finds its link dead and tells its players.
    await lab!.waitForLog(gw2, new RegExp(`gateway reaped gateway=${gw1.host}`), 15_000, from2);
    await lab!.waitForLog(gw1, /players told play is paused players=4/, 30_000, from1);
    const cutMs = Date.now() - cutAt;
    // From its side of the cut it counted no one gone (it heard not even itself): it reaped no live gateway's players.
    expect(gw1.log().slice(from1)).not.toMatch(/gateway left|node left/);
    const healFrom = gw1.log().length;
    lab!.rig.reunite(gw1.host, nats);
    const healedAt = Date.now();
    // Heard again, it puts its players back in the world: they play on there.
    await lab!.waitForLog(gw1, /sessions rechecked silentMs=\d+ pass=1 kept=0 entered=4 closed=0 failed=0/, SERVES_AGAIN_MS, healFrom);
    const backMs = Date.now() - healedAt;
    await lab!.waitForLog(gw1, /players told play resumes players=4/, SERVES_AGAIN_MS, healFrom);
    // The other side hears the same gateway back: a partition, so it checks its own sessions too (all its own still).
    await lab!.waitForLog(gw2, /sessions rechecked silentMs=\d+ pass=1 kept=4 entered=0 closed=0 failed=0/, SERVES_AGAIN_MS, from2);
    const servesAgainMs = await servesAgain(healedAt);
    // Every player served once, by the gateway its session key names, and in the world (no zombie, no ghost).
    let sessions: { sessions: number; wrong: string[] } | undefined;
    for (const deadline = Date.now() + 5_000; Date.now() < deadline;) {
      sessions = JSON.parse((await lab!.script('gw2', 'lab-sessions', [lab!.urls, lab!.gateways.map((g) => g.host).join(',')])).trim());
      if (sessions!.wrong.length === 0) break;
    }
    expect(sessions!.wrong).toEqual([]);
    expect(sessions!.sessions).toBe(8);
    const done = await traders;
    for (const t of done) {
      expect(t.failures).toEqual([]);
      expect(t.answered).toBe(t.sent);
    }
    const audit = JSON.parse((await lab!.script('gw2', 'lab-audit', [lab!.urls])).trim()) as { items: number; wrong: string[] };
    process.stderr.write(`netns lab: gateway cut from NATS for ${cutMs} ms: its players back in the world ${backMs} ms after the heal, a new party served ${servesAgainMs} ms after it; `
      + `traders answered ${done.map((t) => `${t.answered}/${t.sent} (slowest ${t.slowestMs} ms, ${t.overSecond} over 1 s)`).join(' and ')}; ${sessions!.sessions} sessions checked; ${audit.items} items audited\n`);
    expect(audit.wrong).toEqual([]);
  }, 120_000);
});
