// Pairs of players trading with the game's `trade` (world/kinds/player-trade.ts), run inside the lab's
// bots namespace (`node dist/bench/lab-trade-pairs.js GW1,GW2 PORT PAIRS PREFIX DIR [create|connect]`) in the
// market world (bench/market-world.ts): the two players of a pair are on different gateways, new players or
// (`connect`) those of an earlier run (a gateway lets one address create 10 an hour). Each takes three
// brass tokens in the Lantern Market and sells two to Pell for its coins; then each pair trades, round
// after round, a token and a coin (from whichever has more coins) for the other's token, until the file
// DIR/stop appears (at least one round each; at most MAX_S). DIR/progress.json says how it goes (rounds
// over, and which pairs are settling: both have accepted, neither has heard how it ended), for a test to
// cut the network at such a moment.
// A round is over when neither side is trading; it was done if the payer's coin is gone (not back from
// its escrow). Once what is on its way has landed, each player must hold the tokens it started with and
// the coins the done rounds leave it: a half trade (one side's goods handed over, the other's kept) shows
// as a player with a token more than it started with and one with a token fewer. Prints one JSON line: commands sent and answered,
// failures, per pair its rounds done / fallen through / refused / uneven (a side told the opposite of what
// happened) / unfinished (still trading after OUTCOME_MS) and the lines telling the ending that never came
// (untold), per player what it started with, should hold and holds, and every round's times.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { labPlayerName } from './lab-names.js';

const [hosts, port, pairCount, prefix, dir, login = 'create'] = process.argv.slice(2);
const MAX_S = 150;
/** How long both sides' lines telling how a round ended are waited for, before asking them. */
const TOLD_MS = 5_000;
/** How long a round may take to end: past a cut, its node counted gone and the settlement retried. */
const OUTCOME_MS = 60_000;
/** How long the last hand-overs may take to land before the holdings are read. */
const LAND_MS = 30_000;
const until = Date.now() + MAX_S * 1000;
const gateways = hosts.split(',');
let sent = 0;
let answered = 0;
const failures: string[] = [];

interface Holding { tokens: number; coins: number }
interface Round { pair: number; start: number; accepted?: number; end?: number; outcome?: string }

const NUMBERS = ['no', 'a', 'two', 'three', 'four', 'five', 'six'];
/** "a brass token", "two brass tokens": how many the text lists. */
const tokensIn = (text: string) => NUMBERS.indexOf(/\b(\w+) brass tokens?\b/.exec(text)?.[1] ?? 'no');
const coinsIn = (text: string) => (/You have a gold coin/.test(text) ? 1 : Number(/You have (\d+) gold coins/.exec(text)?.[1] ?? 0));

/** One player: its connection, and the endings of trades it has been told, counted as they come. */
class Trader {
  done = 0;
  failed = 0;
  start: Holding = { tokens: 0, coins: 0 };
  /** What it should hold: its start, moved by every round done. */
  owed: Holding = { tokens: 0, coins: 0 };
  private partial = '';

  constructor(readonly c: TelnetClient, readonly name: string) {
    c.socket.on('data', (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString('utf8')).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) {
        if (/The trade with \w+ is done/.test(line)) this.done++;
        else if (/fell through|calls off the trade/.test(line)) this.failed++;
      }
    });
  }

  async say(line: string): Promise<string> {
    sent++;
    const answer = await this.c.command(line, 60_000).catch((err: Error) => {
      throw new Error(`${this.name} "${line}" at ${new Date().toISOString()}: ${err.message}`);
    });
    answered++;
    return answer;
  }

  async holding(): Promise<Holding> {
    return { tokens: tokensIn(await this.say('inventory')), coins: coinsIn(await this.say('gold')) };
  }
}

const nameOf = (i: number) => labPlayerName(prefix, i);
const pairs = Array.from({ length: Number(pairCount) }, () => ({ done: 0, fellThrough: 0, refused: 0, uneven: 0, unfinished: 0, untold: 0 }));
const rounds: Round[] = [];
const settling = new Set<number>();
const progress = () => writeFileSync(join(dir, 'progress.json'), JSON.stringify({ ready: true, ended: rounds.filter((r) => r.end).length, settling: [...settling] }));
const waitFor = async (test: () => boolean | Promise<boolean>, ms: number, everyMs = 20) => {
  for (const deadline = Date.now() + ms; !(await test()); await new Promise((r) => setTimeout(r, everyMs))) if (Date.now() > deadline) return false;
  return true;
};

/** Logged in on its pair's gateway (one at a time: a gateway checks one password per address at once), in the market
 *  with a token and two coins more than it had. */
async function enter(i: number): Promise<Trader> {
  const c = await TelnetClient.open(Number(port), gateways[i % gateways.length]);
  await c.nextAnswer(60_000);
  const t = new Trader(c, nameOf(i));
  const hello = await t.say(`${login} ${t.name} secret`);
  if (!/Welcome/.test(hello)) throw new Error(`${t.name} could not log in: ${hello.slice(0, 200)}`);
  await t.say('west');
  for (let k = 0; k < 3; k++) await t.say('take token');
  for (let k = 0; k < 2; k++) await t.say('sell token');
  t.start = await t.holding();
  t.owed = { ...t.start };
  return t;
}

/** One round: `a` opens; the payer (more coins) offers a token and a coin, the other a token; both accept. */
async function round(p: number, a: Trader, b: Trader): Promise<void> {
  const [payer, other] = a.owed.coins >= b.owed.coins ? [a, b] : [b, a];
  const r: Round = { pair: p, start: Date.now() };
  rounds.push(r);
  const before = [a.done, a.failed, b.done, b.failed];
  await a.say(`trade ${b.name}`);
  const offers = [await payer.say('offer token'), await payer.say('offer 1 coins'), await other.say('offer token')];
  if (!offers.every((o) => /You offer/.test(o))) {
    // Not the terms the round is for (the trade not open on that side yet): called off on both sides, nothing moves.
    pairs[p].refused++;
    r.outcome = 'refused';
    await a.say('cancel');
    await b.say('cancel');
    r.end = Date.now();
    return progress();
  }
  await a.say('accept');
  r.accepted = Date.now();
  settling.add(p);
  progress();
  await b.say('accept');
  // Over once neither is trading. The lines telling how it ended are feedback, which a turn run again after
  // its answer was lost in the cut does not repeat (world/core/turn.ts, `kept`): one may never come.
  const toldOf = (t: Trader, k: number) => (t.done > before[k] ? 'done' : t.failed > before[k + 1] ? 'failed' : 'untold');
  const over = await waitFor(() => toldOf(a, 0) !== 'untold' && toldOf(b, 2) !== 'untold', TOLD_MS)
    || await waitFor(async () => (await Promise.all([a, b].map((t) => t.say('trade')))).every((x) => /not trading/.test(x)), OUTCOME_MS, 250);
  settling.delete(p);
  r.end = Date.now();
  progress(); // said at once: a test cuts a node while a pair is settling, and a payer's gold takes a round trip
  // Whether it was done is what the payer holds: its coin left for good, or came back from its escrow.
  const paid = over && coinsIn(await payer.say('gold')) === payer.owed.coins - 1;
  const told = [toldOf(a, 0), toldOf(b, 2)];
  pairs[p].untold += told.filter((x) => x === 'untold').length;
  r.outcome = !over ? 'unfinished' : told.includes(paid ? 'failed' : 'done') ? 'uneven' : paid ? 'done' : 'fell through';
  if (r.outcome === 'unfinished') pairs[p].unfinished++;
  else if (r.outcome === 'uneven') pairs[p].uneven++;
  else if (paid) pairs[p].done++;
  else pairs[p].fellThrough++;
  if (paid) {
    payer.owed.coins--;
    other.owed.coins++;
  }
  progress();
}

const fail = (err: Error) => {
  if (failures.length < 5) failures.push(err.message);
};
const traders: Trader[] = [];
for (let i = 0; i < 2 * pairs.length; i++) await enter(i).then((t) => traders.push(t), fail);
progress();
const ends: Record<string, Holding> = {};
await Promise.all(pairs.map(async (_, p) => {
  const [a, b] = [traders[2 * p], traders[2 * p + 1]];
  if (!a || !b) return;
  try {
    for (let k = 0; k === 0 || (!existsSync(join(dir, 'stop')) && Date.now() < until); k++) await (k % 2 ? round(p, b, a) : round(p, a, b));
    // Once what the last rounds handed over has landed, each holds what it should (or LAND_MS passed).
    const held = new Map<Trader, Holding>();
    const right = (t: Trader) => held.get(t)?.tokens === t.owed.tokens && held.get(t)?.coins === t.owed.coins;
    for (const deadline = Date.now() + LAND_MS; ;) {
      for (const t of [a, b]) held.set(t, await t.holding());
      if ((right(a) && right(b)) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const t of [a, b]) ends[t.name] = held.get(t)!;
  } catch (err) {
    fail(err as Error);
  }
}));
await Promise.all(traders.map(async (t) => {
  sent++;
  t.c.send('quit');
  await t.c.waitClosed(60_000).then(() => answered++, (err: Error) => fail(new Error(`${t.name} "quit": ${err.message}`)));
}));
const players = traders.map((t) => ({ name: t.name, start: t.start, owed: t.owed, end: ends[t.name] }));
process.stdout.write(`${JSON.stringify({ sent, answered, failed: failures.length, failures, pairs, players, rounds })}\n`);
for (const t of traders) t.c.close();
