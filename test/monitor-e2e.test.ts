// The real binary, end to end: `mud serve` with three nodes in actor mode,
// `mud monitor` in a tmux pane, a party of 200 thrown with the `p` key. The
// figures are read off the captured screen, as a person would: in actor mode
// the plaza's home node does most of the turns; after `3` (function mode) the
// plaza has no home and every node runs turns. The pane is in colour (escapes kept by
// `capture-pane -e`), and each mode's bottleneck line names that mode's limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../support/paths.js';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';

const MUD = join(PACKAGE_ROOT, 'dist', 'bin', 'mud.js');
const TMUX = `mud-e2e-${process.pid}`;

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', TMUX, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'mon');
/** The pane with its escape sequences (colours) kept. */
const colours = () => tmux('capture-pane', '-p', '-e', '-t', 'mon');
const bottleneck = () => screen().split('\n').find((l) => l.startsWith('bottleneck: ')) ?? '';

/** What the bottleneck line may say in each mode: the words name the mode's limit. */
const BOTTLENECK: Record<string, RegExp> = {
  actor: /^bottleneck: (mystical_plaza: \d+ turns\/s on node-\d alone \(\d+% busy\), a hot object|mystical_plaza: \d+ turns queued, \S+\/s run, a hot object on node-\d|gateway: \d+% busy: \d+ sessions, turns for 3 nodes|the machine: \d+ cores? \d+% busy|nothing near a limit: busiest is \S+ at \d+%)/,
  function: /^bottleneck: (gateway: \d+% busy: \d+ sessions, store and turns for 3 nodes|mystical_plaza: \d+ CAS conflicts\/s, functions contend on one record|mystical_plaza: \d+ turns queued, \S+\/s run, functions take turns on one record|the machine: \d+ cores? \d+% busy|nothing near a limit: busiest is \S+ at \d+%)/,
  'in-process': /^bottleneck: (gateway: \d+% busy: \d+ sessions and every turn|the machine: \d+ cores? \d+% busy|nothing near a limit: busiest is gateway)/,
};

/** The node rows as read off the screen: id and turns/s (the fourth column). */
function nodeRates(text: string): Array<{ id: string; turns: number }> {
  return text.split('\n').filter((l) => /^node-\d+\s/.test(l)).map((l) => {
    const [id, , , turns] = l.trim().split(/\s+/);
    return { id, turns: figure(turns) };
  });
}

function figure(s: string): number {
  const n = Number.parseFloat(s);
  return s.endsWith('M') ? n * 1e6 : s.endsWith('k') ? n * 1e3 : n;
}

/** How much the busiest node stands out: max / mean of the nodes' turns/s. */
function spread(rates: Array<{ turns: number }>): number {
  const mean = rates.reduce((a, r) => a + r.turns, 0) / rates.length;
  return mean > 0 ? Math.max(...rates.map((r) => r.turns)) / mean : 0;
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('monitor end to end', () => {
  let server: ServerProcess | undefined;
  let dataDir = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mud-e2e-'));
    // Ports chosen by the server itself (port 0): a port found free here and bound seconds later, once the
    // nodes had started, was taken meanwhile on a loaded machine (EADDRINUSE).
    server = await spawnServer(['--data-dir', dataDir, '--nodes', '3', '--dispatch', 'actor']);
    tmux('new-session', '-d', '-s', 'mon', '-x', '120', '-y', '40',
      `${process.execPath} ${MUD} monitor --url http://127.0.0.1:${server.adminPort} --data-dir ${dataDir}`);
  }, 60_000);

  afterAll(async () => {
    try { tmux('kill-server'); } catch { /* already gone */ }
    const stopping = server?.stop();
    const timer = setTimeout(() => void server?.kill9(), 20_000);
    await stopping;
    clearTimeout(timer);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('monitor e2e - a party of 200 in colour: the plaza\'s home node is busiest in actor mode, after 3 every node runs turns, and each mode names its bottleneck', async () => {
    await until(() => (screen().includes('● live') ? true : undefined), 'the monitor to connect', 20_000);
    // Colour under tmux though this test may run with CI=true: green for the live link (SGR 32).
    expect(colours()).toMatch(/\x1b\[32m● live/);
    expect(colours()).toMatch(/\x1b\[3[0-9]m/);
    tmux('send-keys', '-t', 'mon', 'p');
    await until(() => (screen().includes('How many guests?') ? true : undefined), 'the party prompt', 5000);
    tmux('send-keys', '-t', 'mon', '200', 'Enter');
    await until(() => (/players: (19\d|200)\b/.test(screen()) ? true : undefined), '200 players', 120_000);

    // Actor mode: the plaza lives on one node, and that node does the most turns.
    await until(() => {
      const text = screen();
      const home = /room\/mystical_plaza\s+\S+\s+(node-\d+)\s+actor/.exec(text)?.[1];
      const rates = nodeRates(text);
      const busiest = rates.reduce((a, b) => (b.turns > a.turns ? b : a), rates[0]);
      return home && busiest?.id === home && spread(rates) > 1.5 ? true : undefined;
    }, 'the plaza\'s home node to be the busiest', 60_000);

    await until(() => (BOTTLENECK.actor.test(bottleneck()) ? true : undefined), 'the bottleneck line in actor mode', 30_000);

    tmux('send-keys', '-t', 'mon', '3');
    await until(() => (/mode: function\b/.test(screen()) && /room\/mystical_plaza\s+\S+\s+no home/.test(screen()) ? true : undefined), 'function mode', 60_000);
    // Every node runs turns now: the plaza has no home, and the guests' turns go to the least loaded node.
    // How flat the spread is depends on the load: at the party's 0.5 commands/s a guest no node is busy, and
    // function mode keeps an object's turns on the node that holds its record when loads tie
    // (modes/function/function.ts), so a comparison with actor mode's spread failed on a loaded machine
    // (function 1.32-1.77 against actor 1.58). That is a figure for the bench (`hot` cells), not this test.
    await until(() => {
      const rates = nodeRates(screen());
      return rates.length === 3 && rates.every((r) => r.turns > 0) ? true : undefined;
    }, 'turns on every node in function mode', 60_000);
    expect(screen()).toMatch(/you: switch to function: mode function/);
    await until(() => (BOTTLENECK.function.test(bottleneck()) ? true : undefined), 'the bottleneck line in function mode', 30_000);

    // Sharding asked for in function mode: the screen says shards are actor only.
    tmux('send-keys', '-t', 'mon', 's');
    await until(() => (screen().includes('shards: none, actor only: switch to actor to shard (key 2)') ? true : undefined), 'the shard line', 20_000);
    expect(screen()).toMatch(/sharding: actor only/);

    tmux('send-keys', '-t', 'mon', '1');
    await until(() => (/mode: in-process\b/.test(screen()) ? true : undefined), 'in-process mode', 60_000);
    await until(() => (BOTTLENECK['in-process'].test(bottleneck()) ? true : undefined), 'the bottleneck line in in-process mode', 30_000);
  }, 300_000);
});
