// Which phrases are about money: counted or plural words are; a bare `coin`
// is a thing's keyword (a builder's "a coin" item in a box), not money.
import { describe, expect, it } from 'vitest';
import { coinPhrase } from '../world/core/coins.js';

describe('coin words', () => {
  it('money is coins, gold or a counted coin; a bare coin is a thing', () => {
    expect(coinPhrase('coins')).toEqual({});
    expect(coinPhrase('gold')).toEqual({});
    expect(coinPhrase('all coins')).toEqual({});
    expect(coinPhrase('all.coins')).toEqual({}); // as "all.sword" is typed
    expect(coinPhrase('a coin')).toEqual({ amount: 1 });
    expect(coinPhrase('10 gold coins')).toEqual({ amount: 10 });
    expect(coinPhrase('coin')).toBeUndefined();
    expect(coinPhrase('gold ring')).toBeUndefined();
  });
});
