// The hottest-objects list is smoothed over windows: a saturated home completes
// a hot actor's turns in bursts, and one quiet 250 ms window must not drop it.
import { describe, expect, it } from 'vitest';
import { HotObjects } from '../dispatch/hot-objects.js';

function burst(hot: HotObjects, ref: string, turns: number): void {
  for (let i = 0; i < turns; i++) hot.touch(ref);
}

describe('hot objects', () => {
  it('hot objects - the plaza stays first through a window with none of its turns, then fades when it cools', () => {
    const hot = new HotObjects();
    burst(hot, 'room/mystical_plaza', 150);
    burst(hot, 'player/guestaab', 2);
    expect(hot.take(10, 0.25)[0]).toMatchObject({ ref: 'room/mystical_plaza', turnsPerSec: 600 });
    // A window in which only players' turns completed.
    for (let i = 0; i < 20; i++) hot.touch(`player/guest${i}`);
    const quiet = hot.take(10, 0.25);
    expect(quiet[0]).toMatchObject({ ref: 'room/mystical_plaza', turnsPerSec: 420 });
    // Cold for good: it decays and leaves the list.
    let windows = 0;
    while (hot.take(10, 0.25).some((h) => h.ref === 'room/mystical_plaza')) windows += 1;
    expect(windows).toBeGreaterThan(4);
    expect(windows).toBeLessThan(60);
  });

  it('hot objects - conflicts are rates too, and the list keeps only the busiest', () => {
    const hot = new HotObjects();
    hot.conflict('room/a', 5);
    for (let i = 0; i < 30; i++) burst(hot, `room/r${i}`, i + 1);
    const top = hot.take(10, 1);
    expect(top).toHaveLength(10);
    expect(top[0]).toMatchObject({ ref: 'room/r29', turnsPerSec: 30 });
    expect(hot.take(50, 1).find((h) => h.ref === 'room/a')).toMatchObject({ conflictsPerSec: 3.5 });
  });
});
