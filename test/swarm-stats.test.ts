// The party's summary figures on a known run (a fake clock): the run is from
// the first bot acting to the stop, answers after the stop do not inflate the
// rate, and a party stopped before anyone acted reports 0, not a huge number.
import { describe, expect, it } from 'vitest';
import { SwarmStats } from '../bots/swarm-stats.js';

function clocked(start = 0) {
  let t = start;
  const stats = new SwarmStats(() => t);
  return { stats, at: (ms: number) => { t = ms; } };
}

describe('swarm stats', () => {
  it('swarm stats - a known run: 3 bots, arrival, 10 answers in 4 s, one late answer after the stop', () => {
    const { stats, at } = clocked(1000);
    at(2000);
    stats.startRun(); // the first bot acts while the others still arrive
    at(2500);
    stats.startRun(); // later bots do not restart the run
    at(3500);
    stats.allArrived();
    for (let i = 0; i < 10; i++) {
      at(2600 + i * 300); // 2600 .. 5300
      stats.sent += 1;
      stats.answer(2600 + i * 300 - 20);
    }
    at(6000);
    stats.endRun();
    at(6500);
    stats.answer(6400); // finishing while the bots quit
    const r = stats.result(3);
    expect(r).toMatchObject({ arrivalMs: 2500, runMs: 4000, answered: 11, sent: 10, answersPerSec: 2.5, perSecond: [2, 3, 3, 2] });
    expect(r.latencyUs.max).toBeGreaterThanOrEqual(r.latencyUs.p50);
  });

  it('swarm stats - stopped before any bot acted: no run, a rate of 0 and no arrival time', () => {
    const { stats, at } = clocked();
    at(50);
    stats.answer(40); // a login-phase answer is not part of any run
    stats.endRun();
    at(60);
    stats.answer(55);
    expect(stats.result(1000)).toMatchObject({ runMs: 0, answersPerSec: 0, arrivalMs: 0, perSecond: [] });
  });

  it('swarm stats - stopped a moment after the first bot acted: the rate is over that moment, counting only answers inside it', () => {
    const { stats, at } = clocked();
    at(1000);
    stats.startRun();
    at(1500);
    stats.answer(1400);
    stats.endRun();
    for (let i = 0; i < 5; i++) stats.answer(1450); // the in-flight commands answered during the quit
    expect(stats.result(10)).toMatchObject({ runMs: 500, answersPerSec: 2, answered: 6 });
  });
});
