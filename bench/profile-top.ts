// Summarises V8 CPU profiles (from `npm run bench -- --profile <dir>`, which
// runs each server with node --cpu-prof, or from node --cpu-prof itself): the
// functions with the most self time, so a shortfall's note can name its cause.
//
//   node dist/bench/profile-top.js <file.cpuprofile | dir> [--top 25]

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per function (ms), summed over every place it was sampled. */
export function selfTimes(p: Profile): Array<{ frame: string; ms: number; share: number }> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const f = node.callFrame;
    const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    ms.set(key, (ms.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...ms].map(([frame, t]) => ({ frame, ms: t, share: total ? t / total : 0 })).sort((a, b) => b.ms - a.ms);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
  if (args.length === 0) throw new Error('usage: node dist/bench/profile-top.js <file.cpuprofile | dir> [--top N]');
  const files: string[] = [];
  for (const a of args) {
    if ((await stat(a)).isDirectory()) files.push(...(await readdir(a)).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(a, f)));
    else files.push(a);
  }
  for (const file of files.sort()) {
    const p = JSON.parse(await readFile(file, 'utf8')) as Profile;
    const rows = selfTimes(p);
    const busy = rows.filter((r) => !/^\((idle|program|garbage collector)\)/.test(r.frame));
    const seconds = (p.endTime - p.startTime) / 1e6;
    const busyShare = busy.reduce((a, r) => a + r.share, 0);
    process.stdout.write(`\n${basename(file)}: ${seconds.toFixed(1)} s, ${(busyShare * 100).toFixed(0)}% in JavaScript\n`);
    for (const r of rows.slice(0, top)) process.stdout.write(`  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.frame}\n`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  main().catch((err: Error) => {
    process.stderr.write(`profile-top: ${err.message}\n`);
    process.exit(1);
  });
}
