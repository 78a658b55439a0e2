// How a live switch's pause is told to people: the monitor, `mud dispatch` and `@dispatch`.
import { describe, expect, it } from 'vitest';
import { describePause } from '../dispatch/switch-pause.js';

describe('switch pause', () => {
  it('switch pause - a short pause is one figure; a long one says how much of it went on turns in flight', () => {
    expect(describePause({ pausedMs: 0.4, held: 0, inFlight: 0, drainMs: 0 })).toBe('players paused 0.4 ms, 0 turns held');
    expect(describePause({ pausedMs: 12.34, held: 3, inFlight: 2, drainMs: 11 })).toBe('players paused 12.3 ms, 3 turns held');
    expect(describePause({ pausedMs: 1242.2, held: 530, inFlight: 37, drainMs: 1180.4 }))
      .toBe('players paused 1242 ms (1180 ms on 37 turns in flight), 530 turns held');
    expect(describePause({ pausedMs: 80, held: 1 })).toBe('players paused 80 ms, 1 turns held');
  });
});
