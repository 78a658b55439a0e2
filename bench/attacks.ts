// `npm run soak -- --attacks`: each attack of issues 11 and 25 against a server
// with the limits `mud serve` has by default (on loopback too) and the real
// password hash, while good players do look/say at 15 commands a second each;
// the server loads the hostile world (hostile-world.ts), inert until the timer storm. For each attack: the good
// player's p99 during the attack over its p99 just before (same run), whether
// the server is alive, and how many of the good player's commands went
// unanswered. Attackers connect from 127.0.0.2 and up, the good player from
// 127.0.0.1, so the per-address limits see them apart as they would on the
// internet; each attacker runs in a process of its own (attack-child.ts), so
// its work does not delay the good player's measurement.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Histogram } from '../support/histogram.js';
import { REFUSED } from '../portal/refusals.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { ServerProcess } from './server-process.js';
import { ATTACKS } from './attack-list.js';
import type { Attack } from './attack-kinds.js';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostileWorldDir } from './hostile-world.js';

export interface AttackRow {
  attack: string;
  baselineP99Ms: number;
  attackP99Ms: number;
  ratio: number;
  /** The median, before and during: on a shared machine the p99 is often its neighbours'. */
  baselineP50Ms: number;
  attackP50Ms: number;
  /** The server answered its admin API and the good player after the attack. */
  alive: boolean;
  /** Good player's commands unanswered (timed out) or refused during the attack. */
  lost: number;
  /** Server CPU (all its threads), % of one core, before and during the attack. */
  baselineCpu: number;
  attackCpu: number;
  /** What the attacker got done. */
  note: string;
}

const GOOD_RATE = 15;
const GOOD_NAMES = ['goodie', 'goodman', 'goodwin', 'goodall'];

export async function runAttacks(o: { seed: number; windowS?: number; only?: string; log: (line: string) => void }): Promise<AttackRow[]> {
  const windowMs = (o.windowS ?? 10) * 1000;
  // Each attack keeps its place in ATTACKS for its address (127.0.0.<i + 2>) and seed, whatever --only picks.
  const chosen = ATTACKS.map((attack, i) => ({ attack, i })).filter(({ attack }) => !o.only || attack.name.includes(o.only));
  o.log(`attacks: seed ${o.seed}; ${GOOD_NAMES.length} good players at ${GOOD_RATE} commands/s each; ${windowMs / 1000} s baseline then ${windowMs / 1000} s attack each`);
  // The default world and a hostile builder's cellar, inert until the timer storm wakes it.
  const world = await hostileWorldDir();
  try {
    return await onServer(world, 'the shipped world with the hostile cellar (bench/hostile-world.ts)', chosen, windowMs, o);
  } finally {
    await rm(dirname(world), { recursive: true, force: true });
  }
}

/** One server on `world`: the good players and the victim's account, then each attack in turn. */
async function onServer(
  world: string, label: string, attacks: Array<{ attack: Attack; i: number }>, windowMs: number, o: { seed: number; log: (line: string) => void },
): Promise<AttackRow[]> {
  const server = await ServerProcess.start({ world, dispatch: 'in-process', nodes: 0, store: 'file', limits: 'served' });
  const rows: AttackRow[] = [];
  try {
    // One after another: the hash gate lets one address hash two passwords at once (portal/hash-gate.ts).
    const good: TelnetClient[] = [];
    for (const name of GOOD_NAMES) {
      const c = await TelnetClient.open(server.telnetPort, '127.0.0.1');
      await c.nextAnswer();
      const answer = await c.command(`create ${name} goodpass`, 30_000);
      if (!answer.includes('Welcome')) throw new Error(`good player ${name} could not log in: ${answer.trim().slice(0, 200)}`);
      good.push(c);
    }
    const victim = await TelnetClient.open(server.telnetPort, '127.0.0.1');
    await victim.nextAnswer();
    await victim.command('create victim rightpass', 30_000);
    victim.close();
    o.log(`on ${label}:`);
    o.log('attack                          base p99   attack p99   ratio   p50 base->attack   server cpu   alive  lost  attacker got');
    for (const { attack, i } of attacks) {
      const cpu0 = await server.cpuMicros();
      const base = await measure(good, windowMs);
      const cpu1 = await server.cpuMicros();
      const attacker = fork(fileURLToPath(new URL('./attack-child.js', import.meta.url)), [
        attack.name, String(server.telnetPort), String(server.httpPort), `127.0.0.${i + 2}`, String(o.seed + i),
      ]);
      const noted = new Promise<string>((r) => attacker.once('message', (m: { note: string }) => r(m.note)));
      const during = await measure(good, windowMs);
      const cpu2 = await server.cpuMicros();
      if (attacker.connected) attacker.send('stop');
      const note = await Promise.race([noted, new Promise<string>((r) => setTimeout(() => r('(attacker did not report)'), 10_000))]);
      attacker.kill('SIGKILL');
      const alive = await server.status().then(() => good.every((c) => !c.isClosed), () => false);
      const row: AttackRow = {
        attack: attack.name, baselineP99Ms: base.p99Ms, attackP99Ms: during.p99Ms, baselineP50Ms: base.p50Ms, attackP50Ms: during.p50Ms,
        ratio: Math.round((during.p99Ms / Math.max(base.p99Ms, 0.001)) * 10) / 10, alive, lost: during.lost, note,
        baselineCpu: Math.round(((cpu1 - cpu0) / windowMs) / 10), attackCpu: Math.round(((cpu2 - cpu1) / windowMs) / 10),
      };
      rows.push(row);
      o.log(`${row.attack.padEnd(31)} ${fmt(row.baselineP99Ms).padStart(8)}   ${fmt(row.attackP99Ms).padStart(10)}   ${`${row.ratio}x`.padStart(5)}   ${`${fmt(row.baselineP50Ms)}->${fmt(row.attackP50Ms)}`.padStart(16)}   ${`${row.baselineCpu}->${row.attackCpu}%`.padStart(10)}   ${alive ? 'yes' : 'NO '}    ${String(row.lost).padStart(4)}  ${note}`);
      await new Promise((r) => setTimeout(r, 2000)); // the attacker's sockets close before the next baseline
    }
    for (const c of good) c.close();
  } finally {
    await server.stop();
  }
  return rows;
}

/** The good players' look/say at GOOD_RATE each for `ms`, into one histogram. */
async function measure(good: TelnetClient[], ms: number): Promise<{ p99Ms: number; p50Ms: number; lost: number }> {
  const hist = new Histogram();
  const end = performance.now() + ms;
  const lost = await Promise.all(good.map((c) => play(c, end, hist)));
  return { p99Ms: hist.quantile(0.99) / 1000, p50Ms: hist.quantile(0.5) / 1000, lost: lost.reduce((a, b) => a + b, 0) };
}

/** One good player's closed loop at GOOD_RATE until `end`; returns its lost commands. */
async function play(good: TelnetClient, end: number, hist: Histogram): Promise<number> {
  let lost = 0;
  for (let n = 0; performance.now() < end; n++) {
    const sent = performance.now();
    try {
      const answer = await good.command(n % 2 ? 'look' : `say still here ${n}`, 10_000);
      if (REFUSED.test(answer)) lost++;
      else hist.recordMs(performance.now() - sent);
    } catch {
      lost++;
      if (good.isClosed) {
        // Why the server let a good player go: its last words to them, once (the run's report shows it).
        const last = good.drain().trim().split('\n').pop();
        if (last) process.stderr.write(`good player disconnected; the server's last words: ${JSON.stringify(last.slice(-160))}\n`);
        break;
      }
    }
    const next = sent + 1000 / GOOD_RATE - performance.now();
    if (next > 0) await new Promise((r) => setTimeout(r, next));
  }
  return lost;
}

const fmt = (ms: number) => `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`;
