// Identical names in lists are counted, with English plurals.
import { describe, expect, it } from 'vitest';
import { countedName, groupNames } from '../world/core/grouped-names.js';

describe('grouped names', () => {
  it('grouping - identical names are counted once, in the order first seen', () => {
    expect(groupNames(['a red apple', 'a paper lantern', 'a red apple', 'a green apple', 'a red apple'])).toEqual(['three red apples', 'a paper lantern', 'a green apple']);
    expect(groupNames(['a fine steel sword', 'a slightly damaged steel sword'])).toEqual(['a fine steel sword', 'a slightly damaged steel sword']);
    expect(groupNames([])).toEqual([]);
  });

  it('plurals - the head noun takes the plural, before "of" when there is one', () => {
    expect(countedName('a steel sword', 3)).toBe('three steel swords');
    expect(countedName('an iron-bound chest', 2)).toBe('two iron-bound chests');
    expect(countedName('a stub of candle', 2)).toBe('two stubs of candle');
    expect(countedName('a small brass key', 12)).toBe('twelve small brass keys');
    expect(countedName('a silver coin', 40)).toBe('40 silver coins');
    expect(countedName('a knife', 2)).toBe('two knives');
    expect(countedName('a dusty box', 2)).toBe('two dusty boxes');
    expect(countedName('a pair of boots', 2)).toBe('two pairs of boots');
    expect(countedName('a mouse', 2)).toBe('two mice');
    expect(countedName('Excalibur', 2)).toBe('Excalibur (x2)');
    expect(countedName('some bread', 3)).toBe('some bread (x3)');
  });
});
