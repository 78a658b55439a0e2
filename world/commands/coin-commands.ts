import type { CommandSpec } from './commands.js';
import { needTarget, splitOn, type ParsedCommand, type PhraseParser } from './command-phrases.js';
import { parseTarget } from './matching.js';
import { COIN_LIMIT, coinPhrase } from '../core/coins.js';

// Money in the everyday verbs: `get coins [from X]`, `drop N coins`,
// `give N coins to X`, and `gold`. A phrase that is not about money goes to the
// verb's own parser (a thing called "gold ring" is still a thing).

function amountProblem(amount: number | undefined): string | undefined {
  if (amount === undefined) return undefined;
  if (amount < 1) return 'How many coins?';
  if (amount > COIN_LIMIT) return 'Nobody has that many coins.';
  return undefined;
}

/** take coins | take 10 coins | take coins from corpse; anything else: `items`. */
export const takeCoinsOr = (items: PhraseParser): PhraseParser => (rest) => {
  const parts = splitOn(rest.replace(/\bout of\b/i, 'from'), ['from']);
  const coins = coinPhrase(parts ? parts[0] : rest);
  if (!coins) return items(rest);
  const problem = amountProblem(coins.amount);
  if (problem) return problem;
  const from = parts ? parseTarget(parts[1]) : undefined;
  if (parts && !from) return 'Take coins from where?';
  const command: ParsedCommand = { verb: 'takeCoins' };
  if (coins.amount !== undefined) command.amount = coins.amount;
  if (from) command.from = from;
  return command;
};

/** drop coins | drop 10 coins; anything else: `items`. */
export const dropCoinsOr = (items: PhraseParser): PhraseParser => (rest) => {
  const coins = coinPhrase(rest);
  if (!coins) return items(rest);
  return amountProblem(coins.amount) ?? (coins.amount === undefined ? { verb: 'dropCoins' } : { verb: 'dropCoins', amount: coins.amount });
};

/** give 10 coins to bob; anything else: `items`. */
export const giveCoinsOr = (items: PhraseParser): PhraseParser => (rest) => {
  const parts = splitOn(rest, ['to']);
  const coins = parts && coinPhrase(parts[0]);
  if (!parts || !coins) return items(rest);
  const to = parseTarget(parts[1]);
  if (!to) return 'Give coins to whom?';
  const problem = amountProblem(coins.amount);
  if (problem) return problem;
  return coins.amount === undefined ? { verb: 'giveCoins', to } : { verb: 'giveCoins', amount: coins.amount, to };
};

export const COIN_COMMANDS: readonly CommandSpec[] = [
  { name: 'list', usage: 'list', scope: 'world', help: 'What the shopkeeper here sells, and for how much.', parse: () => ({ verb: 'list' }) },
  { name: 'buy', usage: 'buy <thing>', scope: 'world', help: 'Buy something the shopkeeper here sells: buy lantern. The coins and the thing change hands at once.', parse: needTarget('buy', 'Buy what?') },
  { name: 'sell', usage: 'sell <thing>', scope: 'world', help: 'Sell something you carry to the shopkeeper here, for half what it sells for: sell scale.', parse: needTarget('sell', 'Sell what?') },
  { name: 'value', usage: 'value <thing>', scope: 'world', help: 'Ask the shopkeeper here what they would pay for something you carry: value scale.', parse: needTarget('value', 'Value what?') },
  { name: 'gold', aliases: ['money', 'coins'], usage: 'gold', scope: 'world', help: 'How many gold coins you carry. Coins are picked up with "get coins", dropped with "drop 10 coins", handed over with "give 10 coins to bob".', parse: () => ({ verb: 'gold' }) },
];
