// The bounded cache behind the kept script checks and the kept parses of world files.
import { describe, expect, it } from 'vitest';
import { KeptByText } from '../world/files/kept-by-text.js';

describe('kept by text', () => {
  it('keeps texts up to its characters, dropping the least recently used first', () => {
    const kept = new KeptByText<number>(10);
    kept.set('aaaa', 1);
    kept.set('bbbb', 2);
    expect(kept.get('aaaa')).toBe(1); // used: 'bbbb' is now the least recently used
    kept.set('cccc', 3); // 12 characters: one must go
    expect([kept.get('aaaa'), kept.get('bbbb'), kept.get('cccc')]).toEqual([1, undefined, 3]);
  });

  it('does not keep a text longer than all it may hold, nor displace the others for it', () => {
    const kept = new KeptByText<number>(10);
    kept.set('short', 1);
    kept.set('x'.repeat(11), 2);
    expect([kept.get('short'), kept.get('x'.repeat(11))]).toEqual([1, undefined]);
  });

  it('counts a text set twice once', () => {
    const kept = new KeptByText<number>(8);
    kept.set('abcd', 1);
    kept.set('abcd', 1);
    kept.set('efgh', 2);
    expect([kept.get('abcd'), kept.get('efgh')]).toEqual([1, 2]);
  });
});
