// `npm run soak`: bots play for a long while (10 minutes by default) while
// nodes are killed, the world is reloaded and the dispatch mode is switched
// live, at random (seeded) moments. At the end: every item exists exactly once,
// every bot stands where its last answered move put it, and the server's
// memory (the gateway and its embedded nodes share one process) is flat.
//
//   npm run soak                              10 minutes, 24 bots
//   npm run soak -- --duration 30 --seed 7    a short run, repeatable chaos
//   npm run soak -- --attacks                 the attack run instead (attacks.ts)
// (the command line is soak-main.ts)

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../store/file-store.js';
import { itemHolders, readRecords } from '../ops/item-audit.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { REFUSED } from '../portal/refusals.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { ServerProcess } from './server-process.js';
import { loginBots } from './bots.js';
import { mulberry32 as random } from '../world/core/seeded-random.js';

export interface SoakOptions {
  durationS: number;
  bots: number;
  seed: number;
  /** Memory may grow by this fraction of the start (plus 32 MiB) before the soak fails. */
  memoryMargin: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  seed: number;
  commands: number;
  refused: number;
  chaos: Record<string, number>;
  /** Items held by nobody or by more than one holder. */
  itemErrors: string[];
  /** Bots not where their last answered move put them. */
  lostMoves: string[];
  rssStartMb: number;
  rssEndMb: number;
  heapStartMb: number;
  heapEndMb: number;
  memoryFlat: boolean;
}

const TITLES: Record<string, string> = { 'The Mystical Plaza': 'plaza', 'The Old Armory': 'armory', 'The Lantern Market': 'market' };
/** The room an answer shows (a move's or a look's answer holds the room's title as a line). */
const roomIn = (answer: string) => answer.split('\n').map((l) => TITLES[l]).find(Boolean);
/** A round: into the armory and back to the plaza, moving a sword, a coin and the talk. */
const ROUND = ['east', 'open chest', 'take sword from chest', 'west', 'drop sword', 'say soak', 'take sword', 'east', 'put sword in chest', 'west', 'look'];
const MODES = ['actor', 'function', 'in-process', 'room=function,default=actor', 'actor'];
const MB = 1024 * 1024;

export async function soak(o: SoakOptions): Promise<SoakResult> {
  const say = o.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const rnd = random(o.seed);
  const dataDir = await mkdtemp(join(tmpdir(), 'mud-soak-'));
  const server = await ServerProcess.start({ world: DEFAULT_WORLD, dispatch: 'actor', nodes: 2, store: 'file', dataDir });
  const counts = { commands: 0, refused: 0 };
  const chaos: Record<string, number> = { kill: 0, reload: 0, switch: 0 };
  let running = true;
  try {
    const bots = await loginBots(server.telnetPort, o.bots, { concurrency: 8 });
    const where = bots.map(() => 'plaza');
    const warmup = Math.min(30, o.durationS / 5) * 1000;
    const loops = bots.map((c, i) => play(c, i));
    await sleep(warmup);
    const start = await server.memory();
    say(`soak: seed ${o.seed}, ${o.bots} bots, ${o.durationS} s; memory after warm-up: rss ${mb(start.rss)} MB, heap ${mb(start.heapUsed)} MB`);
    const end = Date.now() + o.durationS * 1000 - warmup;
    while (Date.now() < end) {
      await sleep(Math.min(end - Date.now(), 2000 + rnd() * Math.max(1000, o.durationS * 1000 / 20)));
      if (Date.now() >= end) break;
      const r = rnd();
      const what = r < 0.35 ? 'kill' : r < 0.65 ? 'reload' : 'switch';
      chaos[what]++;
      if (what === 'kill') await server.admin('POST', '/admin/nodes', { action: 'kill' });
      else if (what === 'reload') await server.admin('POST', '/admin/reload');
      else await server.dispatch(MODES[chaos.switch % MODES.length]!);
      say(`soak: ${what} at ${Math.round((Date.now() - end) / 1000 + o.durationS)} s (${counts.commands} commands so far)`);
    }
    running = false;
    await Promise.all(loops);
    // Let the last node replacement settle, then measure and check.
    await server.dispatch('actor');
    const last = await server.memory();
    const lostMoves: string[] = [];
    for (const [i, c] of bots.entries()) {
      const here = roomIn(await c.command('look', 60_000));
      if (here !== where[i]) lostMoves.push(`bot ${i}: answered move put it in ${where[i]}, it is in ${here ?? 'an unknown place'}`);
      c.send('quit');
    }
    await Promise.all(bots.map((c) => c.waitClosed(30_000).catch(() => c.close())));
    await server.stop();
    const itemErrors = await auditItems(dataDir);
    const memoryFlat = last.rss <= start.rss * (1 + o.memoryMargin) + 32 * MB;
    return {
      seed: o.seed, ...counts, chaos, itemErrors, lostMoves,
      rssStartMb: mb(start.rss), rssEndMb: mb(last.rss), heapStartMb: mb(start.heapUsed), heapEndMb: mb(last.heapUsed), memoryFlat,
    };

    /** One bot's closed loop of rounds; only an answered move changes where it is. */
    async function play(c: TelnetClient, i: number): Promise<void> {
      for (let k = 0; running; k = (k + 1) % ROUND.length) {
        const line = ROUND[k]!;
        const answer = await c.command(line, 60_000);
        if (REFUSED.test(answer)) counts.refused++;
        else counts.commands++;
        const room = roomIn(answer);
        if ((line === 'east' || line === 'west') && room) where[i] = room;
      }
    }
  } finally {
    running = false;
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function auditItems(dataDir: string): Promise<string[]> {
  const store = await FileStore.open(dataDir);
  try {
    const world = await loadLiveWorld(DEFAULT_WORLD);
    const errors: string[] = [];
    for (const [item, holders] of itemHolders(await readRecords(store), world.definition)) {
      if (holders.length !== 1) errors.push(`${item} is held by ${holders.length ? holders.join(', ') : 'nobody'}`);
    }
    return errors;
  } finally {
    await store.close();
  }
}

const mb = (bytes: number) => Math.round(bytes / MB);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
