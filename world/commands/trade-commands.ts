import type { CommandSpec } from './commands.js';
import type { ParsedCommand, PhraseParser } from './command-phrases.js';
import { parseTarget } from './matching.js';
import { COIN_LIMIT, coinPhrase } from '../core/coins.js';

// A trade between two players (world/kinds/player-trade.ts): both sides' goods
// change hands, or neither's.

/** offer <thing> | offer 10 coins | offer coins (all of them) */
const parseOffer: PhraseParser = (rest): ParsedCommand | string => {
  const coins = coinPhrase(rest);
  if (coins) {
    if (coins.amount !== undefined && (coins.amount < 1 || coins.amount > COIN_LIMIT)) return 'How many coins?';
    return { verb: 'offer', coins: coins.amount ?? 'all' };
  }
  const target = parseTarget(rest);
  return target ? { verb: 'offer', target } : 'Offer what?';
};

export const TRADE_COMMANDS: readonly CommandSpec[] = [
  { name: 'trade', usage: 'trade [<player>]', scope: 'world', parse: (rest): ParsedCommand | string => {
    const name = rest.trim();
    if (!name) return { verb: 'trade' };
    const target = parseTarget(name);
    return target ? { verb: 'trade', with: target } : 'Trade with whom?';
  },
    help: 'Start a trade with a player here (trade bob), or see how yours stands (trade). Each side offers things and coins, then both accept: everything changes hands at once, or nothing does.' },
  { name: 'offer', usage: 'offer <thing> | offer <N> coins', scope: 'world', help: 'Put something you carry, or coins, on the table of your trade: offer sword, offer 10 coins. Any change means both must accept again.', parse: parseOffer },
  { name: 'accept', usage: 'accept', scope: 'world', help: 'Agree to the trade as it stands; once both have, the goods change hands.', parse: () => ({ verb: 'accept' }) },
  { name: 'cancel', usage: 'cancel', scope: 'world', help: 'Call off your trade: you take back what you offered.', parse: () => ({ verb: 'cancel' }) },
];
