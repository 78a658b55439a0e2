// support/oldest-first-map.ts against a plain Map used as the model (its insertion order, a key set again
// moved to the end): seeded random sets, deletes and evictions (the seed is printed; MUD_TEST_SEED replays one).
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../world/core/seeded-random.js';
import { OldestFirstMap } from '../support/oldest-first-map.js';


describe('oldest first map', () => {
  it('oldest first map - gets, sizes and forgets in the order a Map keeps, a key set again counted as new', () => {
    const seed = Number(process.env.MUD_TEST_SEED ?? Date.now() % 1_000_000);
    console.log(`oldest-first-map seed ${seed} (MUD_TEST_SEED=${seed} replays it)`);
    const rnd = mulberry32(seed);
    for (let round = 0; round < 20; round++) {
      const keys = 1 + Math.floor(rnd() * 200);
      const bound = 1 + Math.floor(rnd() * 100);
      const map = new OldestFirstMap<string, number>();
      const model = new Map<string, number>();
      for (let i = 0; i < 5000; i++) {
        const key = `k${Math.floor(rnd() * keys)}`;
        const r = rnd();
        if (r < 0.6) {
          map.set(key, i);
          model.delete(key);
          model.set(key, i);
        } else if (r < 0.75) {
          expect(map.delete(key)).toBe(model.delete(key));
        } else {
          // Forget past a bound, or entries older than a step: both read the oldest first.
          const before = i - Math.floor(rnd() * 500);
          const drop = rnd() < 0.5 ? (size: number) => size > bound : (_: number, v: number) => v < before;
          map.dropOldestWhile((_, v) => drop(map.size, v));
          for (const [k, v] of model) {
            if (!drop(model.size, v)) break;
            model.delete(k);
          }
        }
        const where = `seed ${seed}, round ${round}, step ${i}`;
        expect(map.size, where).toBe(model.size);
        expect(map.get(key), where).toBe(model.get(key));
      }
      for (const [k, v] of model) expect(map.get(k)).toBe(v);
    }
  });
});
