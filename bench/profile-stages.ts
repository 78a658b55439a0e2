// Where a gateway's time goes, by stage of a command, from a V8 CPU profile
// (`npm run bench -- --profile <dir>`): each sample goes to the innermost stage
// entry function on its stack (socket input is input less the turns it ran).
// Divide a stage's share by the commands the run answered for microseconds per
// command (the `cpu us/cmd` column of hot/spread is the whole).
//
//   node dist/bench/profile-stages.js <file.cpuprofile>

import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Stage name, and the `function:file` prefixes that enter it. */
const STAGES: Array<[string, string[]]> = [
  ['login (scrypt, before the window)', ['scrypt:']],
  ['start-up (module compile)', ['compileSourceTextModule:', 'compileForInternalLoader:', 'wrapSafe:', 'compileFunction:']],
  ['socket input: telnet parse, lines, session queue', ['receive:telnet-protocol.js']],
  ['turn compute (handlers, dedupe window)', ['runTurn:turn.js']],
  ['effects to sessions: tell, tellRoom, emit fan-out', ['release:engine.js']],
  ['store writes (serialise, CAS)', ['flush:write-queue.js', 'casSync:memory-store.js']],
  ['socket output: encode, concat, write syscalls', ['flush:buffered-connection.js']],
  ['worker messages (function/actor: postMessage)', ['flush:port-rpc.js']],
  ['garbage collector', ['(garbage collector):']],
  ['idle', ['(idle):']],
];

/** Each sample weighted by its time, as profile-top.ts weighs them. */
export function stages({ nodes, samples = [], timeDeltas = [] }: Profile): Array<{ stage: string; share: number }> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => `${n.callFrame.functionName}:${n.callFrame.url.split('/').pop() ?? ''}`;
  const stageOf = (n: ProfileNode) => STAGES.findIndex(([, entries]) => entries.some((e) => label(n).startsWith(e)));
  const stageOfNode = new Map<number, number>();
  for (const n of nodes) {
    // Each sample goes to the innermost stage on its stack: input is input less the turns it ran.
    let s = stageOf(n);
    for (let up = parent.get(n.id); s < 0 && up !== undefined; up = parent.get(up)) s = stageOf(byId.get(up)!);
    stageOfNode.set(n.id, s < 0 ? STAGES.length : s);
  }
  const sums = new Array<number>(STAGES.length + 1).fill(0);
  let total = 0;
  samples.forEach((id, i) => {
    const dt = timeDeltas[i + 1] ?? timeDeltas[i] ?? 0;
    sums[stageOfNode.get(id) ?? STAGES.length] += dt;
    total += dt;
  });
  return [...STAGES.map(([stage]) => stage), 'everything else'].map((stage, i) => ({ stage, share: sums[i] / (total || 1) }));
}

if (process.argv[1]?.endsWith('profile-stages.js')) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node dist/bench/profile-stages.js <file.cpuprofile>');
  const p = JSON.parse(await readFile(file, 'utf8')) as Profile;
  for (const r of stages(p)) process.stdout.write(`${(r.share * 100).toFixed(1).padStart(5)}%  ${r.stage}\n`);
}
