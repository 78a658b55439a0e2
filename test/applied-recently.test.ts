// A home's memory of the messages it applied (modes/actor/applied-recently.ts) against a plain model of
// what it must remember: the last `max` messages noted, each for `keepMs` after it was last noted. Seeded
// random notes and finds (the seed is printed; MUD_TEST_SEED replays one). A bounded memory kept its order
// in a Map and took the oldest by iterating it, stepping over every deleted slot: the order is now kept apart.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../world/core/seeded-random.js';
import { AppliedRecently } from '../modes/actor/applied-recently.js';
import type { Effect, Ref } from '../world/core/types.js';

/** What must be found: the latest note of each id, while it is among the last `max` ids noted and within its time. */
class Model {
  private notes: Array<{ id: string; ref: Ref; effects: Effect[]; at: number }> = [];

  constructor(private readonly keepMs: number, private readonly max: number) {}

  note(ref: Ref, id: string, effects: Effect[], now: number): void {
    this.notes = this.notes.filter((n) => n.id !== id);
    this.notes.push({ id, ref, effects, at: now });
    while (this.notes.length > 0 && (this.notes.length > this.max || now - this.notes[0].at >= this.keepMs)) this.notes.shift();
  }

  find(ref: Ref, id: string, now: number): Effect[] | undefined {
    const n = this.notes.find((x) => x.id === id);
    return n && n.ref === ref && now - n.at < this.keepMs ? n.effects : undefined;
  }

  get size(): number {
    return this.notes.length;
  }
}


describe('applied recently', () => {
  it('applied recently - remembers what a plain model does, past its bound and its time, an id noted again kept from its last note', () => {
    const seed = Number(process.env.MUD_TEST_SEED ?? Date.now() % 1_000_000);
    console.log(`applied-recently seed ${seed} (MUD_TEST_SEED=${seed} replays it)`);
    const rnd = mulberry32(seed);
    for (let round = 0; round < 40; round++) {
      const keepMs = 1 + Math.floor(rnd() * 50);
      const max = 1 + Math.floor(rnd() * 40);
      const applied = new AppliedRecently(keepMs, max);
      const model = new Model(keepMs, max);
      let now = 0;
      for (let i = 0; i < 4000; i++) {
        now += Math.floor(rnd() * 3);
        const id = `m${Math.floor(rnd() * 60)}`;
        const ref = `room/r${Math.floor(rnd() * 3)}`;
        if (rnd() < 0.5) {
          const effects: Effect[] = [{ t: 'tell', to: 'player/a', text: `${i}` }];
          applied.note(ref, id, effects, now);
          model.note(ref, id, effects, now);
        } else {
          expect(applied.find(ref, id, now), `seed ${seed}, round ${round}, step ${i}`).toBe(model.find(ref, id, now));
        }
        expect(applied.size, `seed ${seed}, round ${round}, step ${i}`).toBe(model.size);
      }
    }
  });
});
