// What a building command costs on what ships: `mud serve` (the world copied to a temporary directory, file
// store, in-process dispatch), a wizard over telnet, and a player beside him who only looks around. Each
// one-line command reads the files and the edits, checks the result with the world checker and makes it live
// through the reload path; @save writes the files. The wizard's figure is his wait for the answer; the
// onlooker's is what the same server made everyone else wait meanwhile (a `look` every 20 ms, timed from the
// line sent to the answer: the longest of a phase is the longest stall the command caused).
//   node dist/bench/building.js [rounds] [--world default|scripted:<w>x<h>] [--profile <dir>]
// `--profile`: the server runs under `node --cpu-prof` into that directory (node dist/bench/profile-top.js <dir>).
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { benchWorldDir } from './bench-world.js';
import { listeningPort, spawnMud, stopChild, UNLIMITED } from './mud-process.js';

const args = process.argv.slice(2);
const worldAt = args.indexOf('--world');
const worldName = worldAt >= 0 ? args.splice(worldAt, 2)[1] : 'default';
const profileAt = args.indexOf('--profile');
const profileDir = profileAt >= 0 ? args.splice(profileAt, 2)[1] : undefined;
const rounds = Number(args[0] ?? 20);
const root = await mkdtemp(join(tmpdir(), 'mud-bench-building-'));
const world = join(root, 'world');
await cp(await benchWorldDir(worldName), world, { recursive: true });
const mud = await spawnMud('serve', ['serve', '--world', world, '--data-dir', join(root, 'data'), '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', '--nodes', '0', '--dispatch', 'in-process', ...UNLIMITED], /"ready"|\bready\b/,
  { execArgv: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [] });

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** Looks around every 20 ms while `running`; the waits it had. */
function onlooker(c: TelnetClient): { waits: number[]; stop(): Promise<void> } {
  const waits: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await c.command('look', 120_000);
      waits.push(performance.now() - t);
      await sleep(20);
    }
  })();
  return { waits, stop: async () => { running = false; await loop; } };
}

try {
  const port = listeningPort(mud, 'telnet');
  const wizard = await TelnetClient.open(port);
  await wizard.nextAnswer();
  await wizard.command('create builder benchpass'); // the first account is the wizard
  const other = await TelnetClient.open(port);
  await other.nextAnswer();
  await other.command('create onlooker benchpass');
  const timed = async (line: string): Promise<number> => {
    const t = performance.now();
    const answer = await wizard.command(line, 120_000); // minutes, before: 8 s a command on 400 scripted rooms
    if (/Nothing built|Not saved|refused/.test(answer)) throw new Error(`${line}: ${answer}`);
    return performance.now() - t;
  };
  process.stdout.write(`world ${worldName}, ${rounds} rounds a command; the wizard's wait, and the onlooker's waits meanwhile (ms)\n`);
  process.stdout.write(`${'command'.padEnd(34)} wizard p50   p90 | onlooker p50   p99   max\n`);
  const measure = async (name: string, line: (i: number) => string) => {
    const ms: number[] = [];
    const watch = onlooker(other);
    for (let i = 0; i < rounds; i++) ms.push(await timed(line(i)));
    await watch.stop();
    ms.sort((a, b) => a - b);
    const seen = watch.waits.sort((a, b) => a - b);
    const f = (v: number) => v.toFixed(0).padStart(5);
    process.stdout.write(`${name.padEnd(34)} ${f(pct(ms, 0.5))} ${f(pct(ms, 0.9))} | ${' '.repeat(8)}${f(pct(seen, 0.5))} ${f(pct(seen, 0.99))} ${f(seen[seen.length - 1])}\n`);
  };
  // "Lanterns" and "cobblestones": the default world's start room has extras on those words.
  await measure('@desc here <text>', (i) => `@desc here Lanterns over cobblestones, take ${i}.`);
  await measure('@create item + @destroy', (i) => (i % 2 === 0 ? `@create item thing_${i} a thing` : `@destroy thing_${i - 1}`));
  await measure('@save (one room changed)', (i) => (i % 2 === 0 ? `@desc here Lanterns and cobblestones, saved take ${i}.` : '@save'));
  await measure('@reload (no edits)', () => '@reload');
  wizard.close();
  other.close();
} finally {
  await stopChild(mud.child, 'SIGTERM');
  await rm(root, { recursive: true, force: true });
}
