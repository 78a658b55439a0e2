// The game's trades on the network lab (bench/lab-trade-pairs.ts): pairs of players, one on each
// gateway, trading a token and a coin for a token in the market world (bench/market-world.ts), and the
// check that every trade was whole: done on both sides or called off on both, and each player holding
// what the done trades leave it.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ClusterLab } from './netns-rig.js';
import { labPlayerName } from '../../bench/lab-names.js';
import { homeOf } from '../../lattice/placement.js';

export interface Holding { tokens: number; coins: number }
export interface TradeRound { pair: number; start: number; accepted?: number; end?: number; outcome?: string }
export interface TradePairs {
  sent: number;
  answered: number;
  failures: string[];
  pairs: Array<{ done: number; fellThrough: number; refused: number; uneven: number; unfinished: number; untold: number }>;
  players: Array<{ name: string; start: Holding; owed: Holding; end?: Holding }>;
  rounds: TradeRound[];
}

/** `pairs` pairs named `prefix...` (new players, or with `connect` those of an earlier run) trading until the
 *  file `dir`/stop appears (at least one round each). */
export async function tradePairs(lab: ClusterLab, pairs: number, prefix: string, dir: string, login: 'create' | 'connect' = 'create'): Promise<TradePairs> {
  const out = await lab.script('bots', 'lab-trade-pairs', [lab.gateways.map((g) => g.address).join(','), '4000', String(pairs), prefix, dir, login], 300_000);
  return JSON.parse(out.trim().split('\n').at(-1)!) as TradePairs;
}

/** How the trading in `dir` goes: whether every pair is in, rounds over, and the pairs now settling. */
export function tradeProgress(dir: string): { ready: boolean; ended: number; settling: number[] } {
  try {
    return JSON.parse(readFileSync(`${dir}/progress.json`, 'utf8')) as { ready: boolean; ended: number; settling: number[] };
  } catch {
    // Not written yet, or caught half written.
    return { ready: false, ended: 0, settling: [] };
  }
}

/** The pairs of group `prefix` that have a player homed on `node` (among `nodes`, all live). */
export function pairsHomedOn(node: string, nodes: readonly string[], prefix: string, pairs: number): number[] {
  return Array.from({ length: pairs }, (_, p) => p).filter((p) => [2 * p, 2 * p + 1].some((i) => homeOf(`player/${labPlayerName(prefix, i)}`, nodes) === node));
}

/** Every trade whole: each round ended the same for both sides, every command answered, and each player
 *  holds the tokens it started with and the coins its done rounds leave it. Resolves with the rounds done. */
export function expectWholeTrades(r: TradePairs): { done: number; fellThrough: number; refused: number; untold: number } {
  expect(r.failures).toEqual([]);
  expect(r.answered).toBe(r.sent);
  const wrong = [
    ...r.pairs.flatMap((p, i) => (p.uneven || p.unfinished ? [`pair ${i}: ${p.uneven} rounds a side was told ended otherwise than they did, ${p.unfinished} not over in a minute`] : [])),
    ...r.players.filter((p) => p.end?.tokens !== p.owed.tokens || p.end?.coins !== p.owed.coins)
      .map((p) => `${p.name} holds ${JSON.stringify(p.end)}, should hold ${JSON.stringify(p.owed)} (started with ${JSON.stringify(p.start)})`),
  ];
  expect(wrong).toEqual([]);
  expect(r.players.length).toBe(2 * r.pairs.length);
  const sum = (k: 'done' | 'fellThrough' | 'refused' | 'untold') => r.pairs.reduce((n, p) => n + p[k], 0);
  return { done: sum('done'), fellThrough: sum('fellThrough'), refused: sum('refused'), untold: sum('untold') };
}
