// A timer storm within every per-object limit (issue 25, item 5), over real
// sockets: the attack run's hostile world (bench/hostile-world.ts) with a smaller
// cellar of stones, each chaining ctx.after(0). The world's script timers share
// one budget (dispatch/script-timer-budget.ts): the storm is held to it, the
// builder's log says so, a good player is answered meanwhile, and another
// script's timer still fires, in its turn: scripts take turns, so the cellar's
// bell waits for one stone's fire, not for the sixty.
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger, type LogEvent } from '../support/logger.js';
import { DEFAULT_SCRIPT_TIMER_BUDGET } from '../dispatch/script-timer-budget.js';
import { TIMER_BURST, TIMER_FIRES_PER_SECOND } from '../world/core/timers.js';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { waitUntil } from './helpers/nats-server.js';
import { hostileWorldDir, STORM_EXIT } from '../bench/hostile-world.js';

const STONES = 30;
const OVER_BUDGET = /^script timers of the world fire more than their budget allows \(50 a second, 10% of the time\): \d+ wait their turn, most of them from \S+\/scripts\/storm_stone\.js \(\d+, on item\/storm_stone_\d+ and others\)$/;

describe('script timer storm', () => {
  let server: TestServer;
  let world: string;
  let stormer: TelnetClient;
  let good: TelnetClient;
  const events: LogEvent[] = [];
  const warnings = () => events.filter((e) => e.level === 'warn').map((e) => String(e.fields.text));

  beforeAll(async () => {
    world = await hostileWorldDir({ stones: STONES, blob: 100 });
    const log = new Logger(null);
    log.subscribe((e) => events.push(e));
    server = await startTestServer({ world, log, limits: { commandsPerSecond: 10_000, commandBurst: 10_000 } });
    stormer = await player(server.telnetPort, 'stormer');
    good = await player(server.telnetPort, 'goodie');
    expect(await stormer.command(STORM_EXIT)).toMatch(/Storm Cellar/);
  });
  afterAll(async () => {
    for (const c of [stormer, good]) c?.close();
    await server?.cleanup();
    await rm(dirname(world), { recursive: true, force: true });
  });

  it('timers - many objects\' ctx.after(0) chains share the world\'s budget; players and other scripts\' timers are served meanwhile', async () => {
    const started = Date.now();
    await stormer.command('say storm');
    await waitUntil(() => warnings().some((w) => OVER_BUDGET.test(w)), 20_000, () => 'the builder to be told the storm is held');
    // The good player is answered while the stones wait their turns.
    expect(await good.command('look')).toMatch(/Mystical Plaza/);
    // Another script's timer (the cellar's bell, ctx.after(0)) fires in its turn: after one of the storm's.
    stormer.drain();
    stormer.send('say ring');
    await stormer.waitFor('The cellar bell chimes.', 15_000);
    stormer.send('say calm');
    let told = '';
    await waitUntil(() => (told += stormer.drain()).match(/falls silent/g)?.length === STONES, 20_000, () => `every stone to fall silent: ${told}`);
    const seconds = (Date.now() - started) / 1000;
    const fires = [...told.matchAll(/after (\d+) fires/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const { fireBurst, firesPerSecond, atOnce } = DEFAULT_SCRIPT_TIMER_BUDGET;
    // What the world's budget lets through (the bell's one fire was among them), against what
    // the per-object bound alone would: STONES x (a burst of 10 + 5 a second).
    const worldBound = fireBurst + firesPerSecond * seconds + atOnce;
    console.log(`${fires} fires over ${STONES} stones in ${seconds.toFixed(1)} s: world bound ${Math.floor(worldBound)}, per-object bound ${Math.floor(STONES * (TIMER_BURST + TIMER_FIRES_PER_SECOND * seconds))}`);
    expect(fires).toBeLessThanOrEqual(worldBound);
    expect(warnings().filter((w) => OVER_BUDGET.test(w))).toHaveLength(1);
  });
});
