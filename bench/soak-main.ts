// `npm run soak [-- --duration <s>] [--bots <n>] [--seed <n>] [--margin <f>] [--json]`,
// `npm run soak -- --attacks` and `npm run soak -- --cluster [--duration <s>] [--seed <n>]` (root: the
// network lab): see soak.ts, attacks.ts and soak-cluster.ts.
import { parseArgs } from 'node:util';
import { soak } from './soak.js';
import { runAttacks } from './attacks.js';
import { soakCluster } from './soak-cluster.js';
import { netnsUnavailable } from './netns-rig.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '600' }, bots: { type: 'string', default: '24' }, seed: { type: 'string' },
      attacks: { type: 'boolean', default: false }, cluster: { type: 'boolean', default: false }, only: { type: 'string' }, window: { type: 'string', default: '10' }, json: { type: 'boolean', default: false }, margin: { type: 'string', default: '0.25' },
    },
  });
  const seed = values.seed === undefined ? Math.floor(Math.random() * 1e9) : Number(values.seed);
  const num = (v: string, name: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${v}"`);
    return n;
  };
  if (values.attacks) {
    const rows = await runAttacks({ seed, only: values.only, windowS: num(values.window!, 'window'), log: (l) => process.stdout.write(`${l}\n`) });
    if (values.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    if (rows.some((r) => !r.alive || r.lost > 0)) process.exitCode = 1;
    return;
  }
  if (values.cluster) {
    const why = netnsUnavailable();
    if (why) throw new Error(`--cluster runs on the network lab: ${why} (run it as root on Linux)`);
    const c = await soakCluster({ durationS: num(values.duration!, 'duration'), seed });
    const ok = c.failures.length === 0 && c.answered === c.commands && c.itemErrors.length === 0 && c.history.violationCount === 0;
    process.stdout.write(values.json ? `${JSON.stringify(c)}\n` : [
      `soak --cluster ${ok ? 'ok' : 'FAILED'} (seed ${c.seed}): ${c.answered}/${c.commands} commands answered (slowest ${c.slowestMs} ms, ${c.overSecond} over 1 s); `
        + `cuts: ${c.chaos.node} nodes, ${c.chaos.gateway} gateways from NATS, ${c.chaos.leader} KV leaders from the other servers`,
      `failures: ${c.failures.length ? c.failures.join('; ') : 'none'}`,
      `items: ${c.itemErrors.length ? c.itemErrors.join('; ') : `every item exactly once (${c.items})`}`,
      `history: ${c.history.writes} writes of ${c.history.objects} objects (${c.history.rehomed} changed home, ${c.history.landed} of unknown outcome landed): `
        + (c.history.violationCount ? `${c.history.violationCount} violations: ${c.history.violations.join('; ')}` : 'kept every promise'),
    ].join('\n') + '\n');
    if (!ok) process.exitCode = 1;
    return;
  }
  const r = await soak({ durationS: num(values.duration!, 'duration'), bots: Math.round(num(values.bots!, 'bots')), seed, memoryMargin: num(values.margin!, 'margin') });
  const ok = r.itemErrors.length === 0 && r.lostMoves.length === 0 && r.memoryFlat;
  process.stdout.write(values.json ? `${JSON.stringify(r)}\n` : [
    `soak ${ok ? 'ok' : 'FAILED'} (seed ${r.seed}): ${r.commands} commands answered, ${r.refused} refused; chaos: ${r.chaos.kill} node kills, ${r.chaos.reload} reloads, ${r.chaos.switch} live switches`,
    `items: ${r.itemErrors.length ? r.itemErrors.join('; ') : 'every item exactly once'}`,
    `acknowledged moves: ${r.lostMoves.length ? r.lostMoves.join('; ') : 'all applied'}`,
    `memory (process: gateway + embedded nodes, after GC): rss ${r.rssStartMb} -> ${r.rssEndMb} MB, heap ${r.heapStartMb} -> ${r.heapEndMb} MB (${r.memoryFlat ? 'flat' : 'GREW'})`,
  ].join('\n') + '\n');
  if (!ok) process.exitCode = 1;
}

main().catch((err: Error) => {
  process.stderr.write(`soak: ${err.message}\n`);
  process.exit(1);
});
