import { describe, expect, it } from 'vitest';
import { NodeMeter } from '../lattice/node-stats.js';

describe('node meter', () => {
  it('window - a second asker within the window gets the window just closed, not a few busy milliseconds of its own', () => {
    const meter = new NodeMeter();
    const spin = (ms: number) => {
      for (const end = performance.now() + ms; performance.now() < end;);
    };
    spin(20);
    meter.turn(100);
    const first = meter.window();
    spin(20); // the second gateway's ask arrives while this node is busy
    expect(meter.window()).toEqual(first);
  });
});
