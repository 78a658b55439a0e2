// The cluster on a network of hosts (one network namespace each, addresses in 198.18.0.0/24):
// three routed nats-servers, two gateways, four nodes, bots in their own namespace. It serves
// a party on both gateways; a node cut off from everything (its cable pulled, the process still
// running) and healed leaves the cluster serving, within a bound written down here; and the rig
// removes every namespace it made.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNetns, startClusterLab, type ClusterLab } from './helpers/netns-rig.js';
import { checkBuilt } from './helpers/nats-cluster.js';

interface Party { connected: number; sent: number; answered: number; errors: number; refused: number }

/** How long the cluster may take to serve every command again after a node is healed. */
const SERVES_AGAIN_MS = 30_000;

const ours = () => execFileSync('ip', ['netns', 'list']).toString().split('\n').filter((l) => l.startsWith(`mudlab-${process.pid}-`));

describeWithNetns('netns lab', () => {
  let lab: ClusterLab | undefined;
  const party = async (gw: number, seconds: number, count = 12): Promise<Party> => {
    const out = await lab!.mud('bots', ['bots', '--host', lab!.gateways[gw].address, '--telnet-port', '4000', '--count', String(count), '--guest',
      '--prefix', `guest${'ab'[gw]}`, '--duration', String(seconds), '--rate', '2', '--json']);
    return JSON.parse(out.trim().split('\n').at(-1)!) as Party;
  };

  beforeAll(async () => {
    checkBuilt();
    lab = await startClusterLab();
  }, 180_000);
  afterAll(async () => {
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
    const trade = (g: number, prefix: string) => lab!.script('bots', 'lab-traders', [lab!.gateways[g].address, '4000', '4', '12', prefix], 180_000)
      .then((out) => JSON.parse(out.trim().split('\n').at(-1)!) as { sent: number; answered: number; failed: number; failures: string[] });
    const traders = Promise.all([trade(0, 'tra'), trade(1, 'trb')]);
    const mark = gw.log().length;
    lab!.rig.cut(node.host);
    await lab!.waitForLog(gw, new RegExp(`node left node=${node.host}`), 15_000, mark);
    const during = await party(0, 3);
    expect(during.connected).toBe(12);
    lab!.rig.heal(node.host);
    const healedAt = Date.now();
    // Serving again: a whole party with every command answered, and no errors.
    let after: Party | undefined;
    while (Date.now() - healedAt < SERVES_AGAIN_MS) {
      after = await party(0, 2, 8);
      if (after.errors === 0 && after.answered === after.sent && after.connected === 8) break;
    }
    const servesAgainMs = Date.now() - healedAt;
    expect(after).toMatchObject({ connected: 8, errors: 0 });
    expect(after!.answered).toBe(after!.sent);
    expect(servesAgainMs).toBeLessThan(SERVES_AGAIN_MS);
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
});
