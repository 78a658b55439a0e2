import { describe, expect, it } from 'vitest';
import { InputBudget, MAX_INPUT_DEBT_MS } from '../portal/input-budget.js';
import { RateLimit } from '../portal/rate-limit.js';

describe('input budget', () => {
  it('input budget - bytes within the burst read on; beyond it reading waits for the debt', () => {
    const b = new InputBudget({ bytesPerSecond: 1000, linesPerSecond: 100 });
    expect(b.chunk(4000)).toBe(0);
    const wait = b.chunk(2000);
    expect(wait).toBeGreaterThan(1000);
    expect(wait).toBeLessThanOrEqual(2000);
  });

  it('input budget - lines beyond their burst make the chunk wait', () => {
    const b = new InputBudget({ bytesPerSecond: 1_000_000, linesPerSecond: 10 });
    for (let i = 0; i < 20; i++) b.line();
    expect(b.chunk(10)).toBe(0);
    for (let i = 0; i < 30; i++) b.line();
    expect(b.chunk(10)).toBeGreaterThan(2000);
  });

  it('input budget - far over it, or over it without a break for MAX_INPUT_DEBT_MS, the connection is exhausted', () => {
    const far = new InputBudget({ bytesPerSecond: 1_000_000, linesPerSecond: 10 });
    for (let i = 0; i < 20 + 10 * (MAX_INPUT_DEBT_MS / 1000) + 1; i++) far.line();
    far.chunk(1, 0);
    expect(far.exhausted(0)).toBe(true);

    const steady = new InputBudget({ bytesPerSecond: 1000, linesPerSecond: 100 });
    expect(steady.chunk(4000, 0)).toBe(0);
    expect(steady.chunk(1000, 0)).toBeGreaterThan(0);
    expect(steady.exhausted(0)).toBe(false);
    // Still over at every chunk since: past the limit it is exhausted.
    expect(steady.chunk(1, MAX_INPUT_DEBT_MS + 1)).toBeGreaterThan(0);
    expect(steady.exhausted(MAX_INPUT_DEBT_MS + 1)).toBe(true);
  });

  it('rate limit - take refuses at an empty bucket and spend reports the debt', () => {
    const r = new RateLimit(1, 2);
    expect([r.take(), r.take(), r.take()]).toEqual([true, true, false]);
    expect(r.spend(3)).toBeGreaterThan(2000);
  });
});
