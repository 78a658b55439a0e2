// The occupants list changed by one entry (world/core/ref-lists.ts): as `filter` and a spread made it, a new array
// every time, the list it came from untouched.
import { describe, expect, it } from 'vitest';
import { withRef, withoutRef } from '../world/core/ref-lists.js';

describe('ref lists', () => {
  it('without - drops the one entry, every copy of it, or none; never changes the list it was given', () => {
    const list = Object.freeze(['player/ann', 'player/bob', 'player/cy']);
    expect(withoutRef(list, 'player/bob')).toEqual(['player/ann', 'player/cy']);
    expect(withoutRef(list, 'player/ann')).toEqual(['player/bob', 'player/cy']);
    expect(withoutRef(list, 'player/cy')).toEqual(['player/ann', 'player/bob']);
    expect(withoutRef(['a', 'b', 'a', 'c'], 'a')).toEqual(['b', 'c']);
    const missing = withoutRef(list, 'player/dee');
    expect(missing).toEqual(list);
    expect(missing).not.toBe(list);
    expect(withoutRef([], 'a')).toEqual([]);
    expect(list).toEqual(['player/ann', 'player/bob', 'player/cy']);
  });

  it('with - adds the entry last, in a new array', () => {
    const list = Object.freeze(['player/ann']);
    const added = withRef(list, 'player/bob');
    expect(added).toEqual(['player/ann', 'player/bob']);
    expect(list).toEqual(['player/ann']);
    added.push('player/cy');
    expect(list).toHaveLength(1);
  });
});
