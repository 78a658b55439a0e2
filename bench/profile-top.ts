// Summarises V8 CPU profiles (from `npm run bench -- --profile <dir>`, which
// runs each server with node --cpu-prof, or from node --cpu-prof itself): the
// functions with the most self time, so a shortfall's note can name its cause.
//
//   node dist/bench/profile-top.js <file.cpuprofile | file.heapprofile | dir> [--top 25] [--layers] [--last <seconds>]
//
// --layers sums self time by layer (the top folder of dist/, world/ and portal/ one
// deeper; npm packages; Node's internals; native calls by name). --last keeps only the
// samples of the profile's last N seconds (less the final one): a bench cell's window,
// which ends when the server is stopped, without its start-up and login phase.
// A .heapprofile (`npm run bench -- --alloc-profile <dir>`) is read as the bytes each
// function allocated during the window, with --top and --layers as above.

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

type Frame = ProfileNode['callFrame'];

/** A sample's function and place: `name file:line`. */
export function frameOf(f: Frame): string {
  const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
}

/** A sample's layer: the folder under dist/ (world/ and portal/ one deeper), an npm package, Node's own code,
 *  QuickJS's WebAssembly, or a native call by name (a system call's wrapper, mostly). */
export function layerOf(f: Frame): string {
  if (/^\((idle|program|garbage collector)\)$/.test(f.functionName)) return f.functionName;
  const [, inDist] = f.url.split('/dist/');
  if (inDist) {
    const parts = inDist.split('/');
    return ['world', 'portal', 'modes'].includes(parts[0]) && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const [, inModules] = f.url.split('node_modules/');
  if (inModules) return `npm ${inModules.split('/').slice(0, inModules.startsWith('@') ? 2 : 1).join('/')}`;
  if (f.functionName.startsWith('wasm-function')) return 'QuickJS (WebAssembly)';
  if (f.url) return "Node's internals";
  return `native ${f.functionName || '(anonymous)'}`;
}

/** Self time (ms) summed by `key` of each sample's frame; `lastSeconds` keeps the profile's last N seconds less the final one. */
export function selfTimes(p: Profile, key: (f: Frame) => string = frameOf, lastSeconds?: number): Array<{ frame: string; ms: number; share: number }> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  const from = lastSeconds === undefined ? -Infinity : p.endTime - (lastSeconds + 1) * 1e6;
  const to = lastSeconds === undefined ? Infinity : p.endTime - 1e6;
  let at = p.startTime;
  let total = 0;
  samples.forEach((id, i) => {
    at += deltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || at < from || at > to) return;
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const k = key(node.callFrame);
    ms.set(k, (ms.get(k) ?? 0) + dt);
    total += dt;
  });
  return [...ms].map(([frame, t]) => ({ frame, ms: t, share: total ? t / total : 0 })).sort((a, b) => b.ms - a.ms);
}

/** A sampling heap profile (`npm run bench -- --alloc-profile <dir>`, bench/alloc-sampler.ts): a tree of
 *  frames, each with the bytes sampled as allocated there; `seconds` is what the bench adds. */
export interface HeapProfile {
  head: HeapNode;
  seconds?: number;
}
interface HeapNode {
  callFrame: Frame;
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated, summed by `key` of each frame, largest first. */
export function allocatedBytes(p: HeapProfile, key: (f: Frame) => string = frameOf): Array<{ frame: string; bytes: number; share: number }> {
  const bytes = new Map<string, number>();
  let total = 0;
  const stack = [p.head];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.selfSize > 0) {
      const k = key(node.callFrame);
      bytes.set(k, (bytes.get(k) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    stack.push(...node.children);
  }
  return [...bytes].map(([frame, b]) => ({ frame, bytes: b, share: total ? b / total : 0 })).sort((a, b) => b.bytes - a.bytes);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
  const lastAt = args.indexOf('--last');
  const last = lastAt >= 0 ? Number(args.splice(lastAt, 2)[1]) : undefined;
  const layersAt = args.indexOf('--layers');
  if (layersAt >= 0) args.splice(layersAt, 1);
  if (args.length === 0 || (last !== undefined && !(last > 0)) || !(top > 0)) {
    throw new Error('usage: node dist/bench/profile-top.js <file.cpuprofile | file.heapprofile | dir> [--top N] [--layers] [--last <seconds>]');
  }
  const files: string[] = [];
  for (const a of args) {
    if ((await stat(a)).isDirectory()) files.push(...(await readdir(a)).filter((f) => /\.(cpu|heap)profile$/.test(f)).map((f) => join(a, f)));
    else files.push(a);
  }
  for (const file of files.sort()) {
    if (file.endsWith('.heapprofile')) {
      printAllocations(file, JSON.parse(await readFile(file, 'utf8')) as HeapProfile, layersAt >= 0 ? layerOf : frameOf, top);
      continue;
    }
    const p = JSON.parse(await readFile(file, 'utf8')) as Profile;
    const rows = selfTimes(p, layersAt >= 0 ? layerOf : frameOf, last);
    const busy = rows.filter((r) => !/^\((idle|program|garbage collector)\)/.test(r.frame));
    const seconds = last ?? (p.endTime - p.startTime) / 1e6;
    const busyShare = busy.reduce((a, r) => a + r.share, 0);
    process.stdout.write(`\n${basename(file)}: ${seconds.toFixed(1)} s, ${(busyShare * 100).toFixed(0)}% in JavaScript\n`);
    for (const r of rows.slice(0, top)) process.stdout.write(`  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.frame}\n`);
  }
}

function printAllocations(file: string, p: HeapProfile, key: (f: Frame) => string, top: number): void {
  const rows = allocatedBytes(p, key);
  const total = rows.reduce((a, r) => a + r.bytes, 0);
  const rate = p.seconds ? `, ${(total / MB / p.seconds).toFixed(1)} MB/s over ${p.seconds.toFixed(1)} s` : '';
  process.stdout.write(`\n${basename(file)}: ${(total / MB).toFixed(1)} MB allocated${rate}\n`);
  for (const r of rows.slice(0, top)) process.stdout.write(`  ${(r.share * 100).toFixed(1).padStart(5)}%  ${(r.bytes / MB).toFixed(1).padStart(7)} MB  ${r.frame}\n`);
}

const MB = 1e6;

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  main().catch((err: Error) => {
    process.stderr.write(`profile-top: ${err.message}\n`);
    process.exit(1);
  });
}
