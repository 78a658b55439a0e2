// Function mode's per-object window (AIMD): conflicts halve it, clean turns
// widen it, and a written object whose batches the gateway pipelines on one
// node is held at a ceiling so its turns gather into batches.
import { describe, expect, it } from 'vitest';
import { ContentionGate } from '../modes/function/contention-gate.js';

/** Runs `n` turns of `ref` one after another through the gate (the caller keeps
 *  another in flight: an idle object's gate is forgotten, window and all). */
function turns(gate: ContentionGate, ref: string, n: number, conflicts: number, ceiling?: number): void {
  for (let i = 0; i < n; i++) {
    expect(gate.enter(ref)).toBeUndefined();
    gate.leave(ref, conflicts, ceiling);
  }
}

describe('contention gate', () => {
  it('contention gate - clean turns widen the window, a conflict halves it', () => {
    const gate = new ContentionGate();
    gate.enter('room/a');
    turns(gate, 'room/a', 200, 0);
    const wide = gate.limit('room/a');
    expect(wide).toBeGreaterThan(8);
    turns(gate, 'room/a', 1, 1);
    expect(gate.limit('room/a')).toBe(Math.floor(wide / 2));
  });

  it('contention gate - a written object\'s window stays at its ceiling; turns past it wait their turn', async () => {
    const gate = new ContentionGate();
    gate.enter('room/b');
    turns(gate, 'room/b', 200, 0, 2);
    expect(gate.limit('room/b')).toBe(2);
    expect(gate.enter('room/b')).toBeUndefined(); // beside the one held: two in flight
    const third = gate.enter('room/b');
    expect(third).toBeInstanceOf(Promise);
    expect(gate.waiting('room/b')).toBe(1);
    gate.leave('room/b', 0, 2);
    await third;
    expect(gate.waiting('room/b')).toBe(0);
  });
});
