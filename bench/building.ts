// What a building command costs on what ships: `mud serve` (default world copied to a
// temporary directory, file store, in-process dispatch), a wizard over telnet.
// Each one-line command reads the files and the edits, checks the result with the
// world checker and makes it live through the reload path; @save writes the files.
//   node dist/bench/building.js [rounds]
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WORLD } from '../support/paths.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { listeningPort, spawnMud, stopChild, UNLIMITED } from './mud-process.js';

const rounds = Number(process.argv[2] ?? 20);
const root = await mkdtemp(join(tmpdir(), 'mud-bench-building-'));
const world = join(root, 'world');
await cp(DEFAULT_WORLD, world, { recursive: true });
const mud = await spawnMud('serve', ['serve', '--world', world, '--data-dir', join(root, 'data'), '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', '--nodes', '0', '--dispatch', 'in-process', ...UNLIMITED], /"ready"|\bready\b/);
try {
  const c = await TelnetClient.open(listeningPort(mud, 'telnet'));
  await c.nextAnswer();
  await c.command('create builder benchpass');
  const timed = async (line: string): Promise<number> => {
    const t = performance.now();
    const answer = await c.command(line);
    if (/Nothing built|Not saved|refused/.test(answer)) throw new Error(`${line}: ${answer}`);
    return performance.now() - t;
  };
  const measure = async (name: string, line: (i: number) => string) => {
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) ms.push(await timed(line(i)));
    ms.sort((a, b) => a - b);
    process.stdout.write(`${name.padEnd(28)} median ${ms[Math.floor(ms.length / 2)].toFixed(0)} ms, p90 ${ms[Math.floor(ms.length * 0.9)].toFixed(0)} ms (${rounds} rounds)\n`);
  };
  await measure('@desc here <text>', (i) => `@desc here Lanterns over cobblestones, take ${i}.`);
  await measure('@create item + @destroy', (i) => (i % 2 === 0 ? `@create item thing_${i} a thing` : `@destroy thing_${i - 1}`));
  await measure('@save (one room changed)', (i) => (i % 2 === 0 ? `@desc here Lanterns and cobblestones, saved take ${i}.` : '@save'));
  await measure('@reload (no edits)', () => '@reload');
  c.close();
} finally {
  await stopChild(mud.child, 'SIGTERM');
  await rm(root, { recursive: true, force: true });
}
