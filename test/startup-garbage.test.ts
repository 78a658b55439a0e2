// After loading a large world the server collects the load's garbage at once
// (ops/startup-garbage.ts) instead of idling on it until V8 next needs room.
import { describe, expect, it } from 'vitest';
import { releaseStartupGarbage } from '../ops/startup-garbage.js';

describe('startup garbage', () => {
  it('startup garbage - a small world is not worth a pause', () => {
    expect(releaseStartupGarbage(1_000)).toBe(false);
  });

  it('startup garbage - after a large load the garbage is collected before serving', () => {
    // About 150 MB of short-lived objects, as a YAML parse leaves behind, old enough to be in the old generation.
    let garbage: Array<{ line: number; text: string }> | undefined = Array.from({ length: 1_500_000 }, (_, i) => ({ line: i, text: `room ${i}` }));
    const held = process.memoryUsage().heapUsed;
    expect(garbage.length).toBe(1_500_000);
    garbage = undefined;
    expect(releaseStartupGarbage(1_000_000)).toBe(true);
    const after = process.memoryUsage().heapUsed;
    console.log(`heap used: ${(held / 2 ** 20).toFixed(0)} MB with the garbage, ${(after / 2 ** 20).toFixed(0)} MB after`);
    expect(held - after).toBeGreaterThan(50 * 2 ** 20);
  });
});
