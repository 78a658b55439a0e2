// The world's budget for builder scripts' timers (issue 25, item 5): the budget
// driven by a clock the test holds, and the gate in front of it with real timers.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRIPT_TIMER_BUDGET, ScriptTimerBudget, type ScriptTimerLimits } from '../dispatch/script-timer-budget.js';
import { ScriptTimerGate } from '../dispatch/script-timer-gate.js';
import { isScriptTimer, timerBase } from '../world/core/timers.js';

const LIMITS: ScriptTimerLimits = { firesPerSecond: 50, fireBurst: 50, busyShare: 0.1, busyBurstMs: 250, writeCharsPerSecond: 128 * 1024, writeBurstChars: 256 * 1024, atOnce: 1, chargeCapMs: 150 };

describe('script timer budget (clock driven)', () => {
  it('timers - a burst, then the sustained rate: one fire every 1/rate s', () => {
    const b = new ScriptTimerBudget(LIMITS);
    const now = 1_000;
    for (let i = 0; i < LIMITS.fireBurst; i++) {
      expect(b.take(now)).toBe(0);
      b.finished(now, now);
    }
    expect(b.take(now)).toBe(20);
    expect(b.take(now + 19)).toBe(1);
    expect(b.take(now + 20)).toBe(0);
  });

  it('timers - fires in flight at once are bounded; the next may go when one finishes', () => {
    const b = new ScriptTimerBudget(LIMITS);
    expect(b.take(0)).toBe(0);
    expect(b.take(0)).toBe(Infinity);
    expect(b.inFlight).toBe(1);
    b.finished(0, 1);
    expect(b.take(1)).toBe(0);
  });

  it('timers - costly fires spend the share of time: after the burst of busy time, they wait cost / share', () => {
    const b = new ScriptTimerBudget(LIMITS);
    let now = 0;
    // Three fires of 100 ms each: 300 ms busy against 250 ms at once (full already, the first
    // fire's 10% is lost to the cap) plus 10% of the other two's 200 ms: 30 ms owed, 300 ms at 10%.
    for (let i = 0; i < 3; i++) {
      expect(b.take(now)).toBe(0);
      b.finished(now, now + 100);
      now += 100;
    }
    expect(b.take(now)).toBe(300);
    now += 300;
    expect(b.take(now)).toBe(0);
    b.finished(now, now + 100);
    now += 100;
    // Sustained: a fire of 100 ms every 1,000 ms.
    expect(b.take(now)).toBe(900);
    now += 900;
    // A fire that was in flight for longer than the cap (waiting behind others) is charged the cap.
    expect(b.take(now)).toBe(0);
    b.finished(now, now + 5_000);
    now += 5_000;
    expect(b.take(now)).toBe(0);
  });

  it('timers - a storm of large states fires less than the same storm of small states: the writes are charged by size', () => {
    // Back to back for 10 s, each fire 1 ms (well within the share of time), with the budget a server runs with.
    const storm = (chars: number) => {
      const b = new ScriptTimerBudget(DEFAULT_SCRIPT_TIMER_BUDGET);
      let fires = 0;
      for (let now = 0; now < 10_000;) {
        const wait = b.take(now);
        if (wait > 0) {
          now += wait;
          continue;
        }
        b.finished(now, now + 1, chars);
        fires += 1;
        now += 1;
      }
      return fires;
    };
    const { fireBurst, firesPerSecond, writeBurstChars, writeCharsPerSecond } = DEFAULT_SCRIPT_TIMER_BUDGET;
    // A lamplighter's few hundred characters: only the count binds.
    const small = storm(300);
    expect(small).toBeGreaterThanOrEqual(fireBurst + firesPerSecond * 10 - 1);
    expect(small).toBeLessThanOrEqual(fireBurst + firesPerSecond * 10 + 1);
    // States near the 64 KiB limit: the writes bind, one fire past the allowance at most (a fire is charged once it ended).
    const large = 63 * 1024;
    const big = storm(large);
    expect(big).toBeLessThanOrEqual(Math.floor((writeBurstChars + writeCharsPerSecond * 10) / large) + 1);
    expect(big).toBeGreaterThanOrEqual(Math.floor((writeBurstChars + writeCharsPerSecond * 10) / large) - 1);
    expect(big * 10).toBeLessThan(small);
  });

  it('timers - a script timer is told from an engine timer by its id, whatever digits its base has', () => {
    for (const msgId of ['a-1', 'k3', 's9', 'lmn-2a.1.1', 'x'.repeat(200)]) {
      const base = timerBase(msgId);
      expect(isScriptTimer(`${base}s1`), base).toBe(true);
      expect(isScriptTimer(`${base}s12`), base).toBe(true);
      expect(isScriptTimer(`${base}k1`), base).toBe(false);
      expect(isScriptTimer(`${base}k12`), base).toBe(false);
    }
  });
});

describe('script timer gate', () => {
  it('timers - due fires go in the order they came, within the budget, and the builder is told once', async () => {
    const fired: string[] = [];
    const warnings: string[] = [];
    const limits: ScriptTimerLimits = { firesPerSecond: 200, fireBurst: 5, busyShare: 1, busyBurstMs: 1000, writeCharsPerSecond: 1 << 20, writeBurstChars: 1 << 20, atOnce: 1, chargeCapMs: 50 };
    const count = 30;
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    let inFlight = 0;
    let most = 0;
    const gate = new ScriptTimerGate(async (ref, id) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise<void>((r) => setImmediate(r)); // the turn answers later, as a real one does
      inFlight -= 1;
      fired.push(`${ref} ${id}`);
      if (fired.length === count) done();
      return 100;
    }, (text) => warnings.push(text), () => 'scripts/stone.js', limits);
    const started = performance.now();
    for (let i = 0; i < count; i++) gate.submit(`item/stone_${i % 3}`, `t1s${i}`);
    await all;
    const elapsed = performance.now() - started;
    expect(fired).toEqual(Array.from({ length: count }, (_, i) => `item/stone_${i % 3} t1s${i}`));
    expect(most).toBe(1);
    // Past the burst of 5, 25 fires at 200 a second cannot take less than 125 ms.
    expect(elapsed).toBeGreaterThanOrEqual(((count - limits.fireBurst - 1) * 1000) / limits.firesPerSecond);
    expect(gate.heldTotal).toBeGreaterThanOrEqual(count - limits.fireBurst);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^script timers of the world fire more than their budget allows \(200 a second, 100% of the time, 1024 KiB of state written a second\): \d+ wait their turn, most of them from scripts\/stone\.js \(\d+, on item\/stone_\d and others\)$/);
    gate.stop();
  });

  it('timers - scripts take turns: another script\'s timer waits for one fire of each storming script, not for all of theirs', async () => {
    const fired: string[] = [];
    const limits: ScriptTimerLimits = { firesPerSecond: 1000, fireBurst: 1, busyShare: 1, busyBurstMs: 1000, writeCharsPerSecond: 1 << 20, writeBurstChars: 1 << 20, atOnce: 1, chargeCapMs: 50 };
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    const gate = new ScriptTimerGate(async (ref) => {
      await new Promise<void>((r) => setImmediate(r));
      fired.push(ref);
      if (fired.length === 13) done();
      return 100;
    }, () => undefined, (ref) => (ref.startsWith('item/storm') ? 'scripts/storm.js' : ref.startsWith('item/gale') ? 'scripts/gale.js' : 'world.yaml:12'), limits);
    for (let i = 0; i < 6; i++) gate.submit(`item/storm_${i}`, `t1s${i}`);
    for (let i = 0; i < 6; i++) gate.submit(`item/gale_${i}`, `t2s${i}`);
    gate.submit('room/bell', 't3s1');
    await all;
    // storm_0 went at once; then rounds over storm, gale and the bell: the bell third, not last.
    expect(fired.slice(0, 4)).toEqual(['item/storm_0', 'item/storm_1', 'item/gale_0', 'room/bell']);
    expect(fired.filter((r) => r.startsWith('item/storm'))).toEqual(Array.from({ length: 6 }, (_, i) => `item/storm_${i}`));
    expect(fired.filter((r) => r.startsWith('item/gale'))).toEqual(Array.from({ length: 6 }, (_, i) => `item/gale_${i}`));
    gate.stop();
  });

  it('timers - a deferred delivery waits its turn in its script\'s lane, charged what it wrote; a stop sends those still waiting at once and keeps the timers', async () => {
    const ran: string[] = [];
    const fired: string[] = [];
    // Writes bind: 50 characters at once, 100 a second; each turn writes 100 (a turn may start while any is left).
    const limits: ScriptTimerLimits = { firesPerSecond: 1000, fireBurst: 1000, busyShare: 1, busyBurstMs: 1000, writeCharsPerSecond: 100, writeBurstChars: 50, atOnce: 1, chargeCapMs: 50 };
    const gate = new ScriptTimerGate(async (ref) => {
      fired.push(ref);
      return 100;
    }, () => undefined, () => 'scripts/heap.js', limits);
    const delivery = (name: string) => async () => {
      ran.push(name);
      return 100;
    };
    gate.defer('item/heap_0', delivery('first'));
    gate.submit('item/heap_1', 't1s1');
    gate.defer('item/heap_2', delivery('second'));
    await waitFor(() => ran.length === 1);
    // The first went at once and spent the writes; the timer waits half a second, the second a second more.
    expect(ran).toEqual(['first']);
    expect(fired).toEqual([]);
    expect(gate.waiting).toBe(2);
    gate.stop();
    expect(ran).toEqual(['first', 'second']);
    expect(fired).toEqual([]);
  });
});

/** Until `done` holds, checked each turn of the event loop (bounded: 2 s). */
async function waitFor(done: () => boolean): Promise<void> {
  const deadline = performance.now() + 2_000;
  while (!done()) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise<void>((r) => setImmediate(r));
  }
}
