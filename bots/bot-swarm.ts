import { loadWorld } from '../world/files/world-loader.js';
import { formatWorldError } from '../world/files/world-def.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { openLink, type BotLink } from './bot-link.js';
import { BotMap } from './bot-route.js';
import { BotPlayer } from './bot-player.js';
import { SwarmStats, type SwarmResult } from './swarm-stats.js';

export type { SwarmResult } from './swarm-stats.js';

export type SwarmPhase = 'connect' | 'run' | 'quit';

/** Where `mud bots --raid` gathers, and whom it attacks: the default world's boss. */
export const RAID_ROOM = 'wyrm_den';
export const RAID_TARGET = 'wyrm';

export interface SwarmOptions {
  count: number;
  /** Target room id (`mystical_plaza`) or ref (`room/mystical_plaza`). */
  room?: string;
  /** Commands per second per bot. */
  rate?: number;
  /** How long the bots act once all are connected; 0 = until `signal` aborts. */
  durationMs: number;
  /** WebSocket play at /play instead of telnet. */
  ws?: boolean;
  host?: string;
  telnetPort?: number;
  httpPort?: number;
  /** Bot names are the prefix plus three letters (names are letters only). */
  prefix?: string;
  /** Log in as guests (`guest <name>`: no account, no password hash); the prefix must start with "guest". */
  guest?: boolean;
  password?: string;
  /** Fraction of bots that wander out of the room and back. */
  wander?: number;
  /** A raid: every bot attacks the creature with this keyword in the room, again after each death. */
  raid?: string;
  /** World directory the server runs (for routes); default the shipped world. */
  world?: string;
  /** Bots connecting at once (each account login costs the server a password hash; a guest's does not). */
  concurrency?: number;
  commandTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?(phase: SwarmPhase, done: number, total: number): void;
}

const SUFFIX_LETTERS = 3;

/** Runs a crowd of real bot players against a server: connect (bounded
 *  concurrency), log in, walk to the room, act at `rate`, then every bot quits
 *  and every socket closes, whatever happened on the way. */
export async function runSwarm(opts: SwarmOptions): Promise<SwarmResult> {
  const o = withDefaults(opts);
  const map = await loadMap(o.world);
  const target = map.room(o.room);
  botName(o.prefix, o.count - 1); // fails early on a bad prefix or count
  const stats = new SwarmStats();
  const links = new Set<BotLink>();
  const bots: BotPlayer[] = [];
  try {
    await connectAll(o, async (i) => {
      const link = await openLink({ ws: o.ws, host: o.host, telnetPort: o.telnetPort, httpPort: o.httpPort });
      links.add(link);
      const wanderer = i < Math.round(o.count * o.wander);
      const bot = new BotPlayer(link, { name: botName(o.prefix, i), password: o.password, guest: o.guest, target, map, wanderer, raid: o.raid, commandTimeoutMs: o.commandTimeoutMs }, stats);
      bots.push(bot);
      await bot.login();
      stats.connected += 1;
      await bot.walk();
      stats.placed += 1;
      if (stats.placed === o.count) stats.allArrived();
      if (!o.signal?.aborted) bot.startActing(o.rate);
    }, stats);
    await runFor(o);
    stats.endRun();
    let quit = 0;
    await Promise.all(bots.map((b) => b.quit(10_000).then(() => o.onProgress?.('quit', ++quit, bots.length))));
  } finally {
    for (const bot of bots) bot.stopActing();
    for (const link of links) link.close();
  }
  return stats.result(o.count);
}

type Resolved = Required<Omit<SwarmOptions, 'signal' | 'onProgress' | 'raid'>> & Pick<SwarmOptions, 'signal' | 'onProgress' | 'raid'>;

function withDefaults(o: SwarmOptions): Resolved {
  if (!Number.isInteger(o.count) || o.count < 1) throw new Error(`bot count must be a whole number >= 1 (got ${o.count})`);
  const rate = o.rate ?? 0.5;
  if (!(rate > 0)) throw new Error(`rate must be above 0 commands per second (got ${rate})`);
  const prefix = o.prefix ?? (o.guest ? 'guest' : 'bot');
  if (o.guest && !prefix.toLowerCase().startsWith('guest')) throw new Error(`guest names start with "guest" (got the prefix "${prefix}")`);
  return {
    room: 'mystical_plaza', ws: false, host: '127.0.0.1', telnetPort: 4000, httpPort: 4001, password: 'botpass', guest: false,
    wander: o.raid ? 0 : 0.05, world: DEFAULT_WORLD, concurrency: 50, commandTimeoutMs: 60_000, ...o, prefix, rate,
  };
}

async function loadMap(dir: string): Promise<BotMap> {
  const loaded = await loadWorld(dir);
  if (!loaded.ok) throw new Error(`cannot read the world at ${dir}: ${formatWorldError(loaded.errors[0])}`);
  return new BotMap(loaded.world);
}

/** Starts bot i for i in 0..count-1, `concurrency` at a time; one bot's failure is counted, not thrown. */
async function connectAll(o: Resolved, start: (i: number) => Promise<void>, stats: SwarmStats): Promise<void> {
  let next = 0;
  let done = 0;
  o.onProgress?.('connect', 0, o.count);
  const lane = async () => {
    while (next < o.count && !o.signal?.aborted) {
      const i = next++;
      await start(i).catch((err: Error) => stats.error(`${botName(o.prefix, i)}: ${err.message}`));
      o.onProgress?.('connect', ++done, o.count);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.count) }, lane));
}

/** Waits out the run (or the abort), reporting each second. */
async function runFor(o: Resolved): Promise<void> {
  const total = Math.ceil(o.durationMs / 1000);
  for (let second = 0; (o.durationMs === 0 || second < total) && !o.signal?.aborted; second++) {
    o.onProgress?.('run', second, total);
    await sleep(Math.min(1000, o.durationMs ? o.durationMs - second * 1000 : 1000), o.signal);
  }
  o.onProgress?.('run', total, total);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `bot` + 0 -> `botaaa`: player names are letters only. */
export function botName(prefix: string, i: number): string {
  if (!/^[a-z]+$/i.test(prefix) || prefix.length + SUFFIX_LETTERS > 16) {
    throw new Error(`bot name prefix "${prefix}" must be 1 to ${16 - SUFFIX_LETTERS} letters a to z`);
  }
  if (i >= 26 ** SUFFIX_LETTERS) throw new Error(`at most ${26 ** SUFFIX_LETTERS} bots per prefix`);
  let suffix = '';
  for (let n = i, k = 0; k < SUFFIX_LETTERS; k++, n = Math.floor(n / 26)) suffix = String.fromCharCode(97 + (n % 26)) + suffix;
  return `${prefix.toLowerCase()}${suffix}`;
}
