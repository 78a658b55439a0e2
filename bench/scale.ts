// scale: a generated world of 1,000,000 objects (a grid of rooms, nine items in
// each), all idle. Start-up time (process start to listening), resident memory
// right after start and once idle (settled: start-up's garbage given back), the
// memory an idle object costs (against the same server with a tiny world, both
// settled), and the first command in a room nobody has entered yet (its state is
// created on that turn) against a look once it is warm.

import { Histogram } from '../support/histogram.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { benchWorldDir } from './bench-world.js';
import { BOT_PASSWORD, botName } from './bots.js';
import { startForMode, type ServerProcess } from './server-process.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario, type Target } from './scenario.js';

const TARGET_RSS_MIB = 1024;
const TARGET_BYTES_PER_OBJECT = 400;
const BASELINE_OBJECTS = 100;
/** Cold rooms entered, one after another, for the first-look figure. */
const COLD_ROOMS = 5;

export const scale: Scenario = {
  name: 'scale',
  modes: ['in-process', 'actor', 'function'],
  smokeModes: ['actor'],
  about: 'a world of 1,000,000 idle objects: start-up, resident memory, bytes per idle object, first look in a cold room',
  async run(mode: BenchMode, opts: BenchOptions) {
    const objects = opts.size ?? (opts.smoke ? 2000 : 1_000_000);
    const nodes = mode === 'in-process' ? 0 : opts.nodes ?? 2;
    const start = async (count: number) => startForMode(mode, { world: await benchWorldDir(`scale:${count}`), nodes, shardCapacity: 0, profileDir: opts.profileDir });

    opts.progress(`scale ${mode}: baseline server with ${BASELINE_OBJECTS} objects`);
    const baseline = await start(BASELINE_OBJECTS);
    const base = await baseline.memory({ settle: true }).finally(() => baseline.stop());
    opts.progress(`scale ${mode}: server with ${objects.toLocaleString('en')} objects (loading the world takes a while)`);
    const server = await start(objects);
    try {
      const mem = await server.memory({ settle: true });
      const looks = await coldAndWarm(server);
      const metrics = {
        objects, startupSec: server.startupMs / 1000, startRssMiB: mem.firstRss / 2 ** 20, rssMiB: mem.rss / 2 ** 20,
        bytesPerObject: (mem.rss - base.rss) / (objects - BASELINE_OBJECTS),
        heapBytesPerObject: (mem.heapUsed - base.heapUsed) / (objects - BASELINE_OBJECTS),
        heapTotalBytesPerObject: (mem.heapTotal - base.heapTotal) / (objects - BASELINE_OBJECTS),
        firstLookMs: looks.cold.quantile(0.5) / 1000, firstLookMaxMs: looks.cold.max / 1000, warmLookMs: looks.warm.quantile(0.5) / 1000,
      };
      const targets: Target[] = [
        { metric: 'rssMiB', op: '<=', value: TARGET_RSS_MIB, label: '<= 1 GiB resident' },
        { metric: 'bytesPerObject', op: '<=', value: TARGET_BYTES_PER_OBJECT, label: `<= ${TARGET_BYTES_PER_OBJECT} bytes per idle object` },
      ];
      return { metrics, targets, setup: { objects, nodes, store: 'memory', baselineObjects: BASELINE_OBJECTS, load: loadAverage() } };
    } finally {
      await server.stop();
    }
  },
};

/** One player walks east through rooms nobody has entered (the move's answer is
 *  the new room's look), then looks again in each, now warm. */
async function coldAndWarm(server: ServerProcess): Promise<{ cold: Histogram; warm: Histogram }> {
  const cold = new Histogram();
  const warm = new Histogram();
  const c = await TelnetClient.open(server.telnetPort);
  try {
    await c.nextAnswer(30_000);
    const login = await c.command(`create ${botName(0)} ${BOT_PASSWORD}`, 60_000);
    if (!login.includes('Welcome, ')) throw new Error(`login failed: ${login.trim().slice(-200)}`);
    for (let i = 0; i < COLD_ROOMS; i++) {
      let t = performance.now();
      const moved = await c.command('east', 30_000);
      if (!moved.includes('Grid room')) throw new Error(`could not walk east: ${moved.trim().slice(-200)}`);
      cold.recordMs(performance.now() - t);
      t = performance.now();
      await c.command('look', 30_000);
      warm.recordMs(performance.now() - t);
    }
  } finally {
    c.close();
  }
  return { cold, warm };
}
