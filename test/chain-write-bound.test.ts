// What one command's chain of script turns may write (issue 25, item 5: the timer storm's start): a room's
// script sends `grow` to a dozen heaps, each building a state near the size limit; past the chain's bound the
// rest wait for the world's budget for script timers, each delivered once, later. Small states go as before.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { waitUntil } from './helpers/nats-server.js';
import { Logger, type LogEvent } from '../support/logger.js';
import { CHAIN_WRITE_CHARS } from '../dispatch/chain-write-bound.js';
import { DEFAULT_SCRIPT_TIMER_BUDGET } from '../dispatch/script-timer-budget.js';

const HEAPS = 12;
const LARGE = 60_000;
const SMALL = 100;
const heaps = (prefix: string) => Array.from({ length: HEAPS }, (_, i) => `${prefix}_${i}`);

const HEAP_SCRIPT = (blob: number) => `
function grow(state, msg, ctx) {
  const grown = (state.grown || 0) + 1;
  ctx.tellRoom(msg.room, ctx.self + ' grows (' + grown + ').');
  return { grown, blob: 'x'.repeat(${blob}) };
}
function shrink(state, msg, ctx) {
  ctx.tellRoom(msg.room, ctx.self + ' shrinks after ' + (state.grown || 0) + ' grows.');
  return { grown: state.grown || 0 };
}`;

/** A den of small heaps and a hall of large ones, each room's script sending \`grow\` (\`shrink\`) to all it holds on \`say grow\` (\`say shrink\`). */
async function heapWorld(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'mud-heaps-')), 'world');
  await mkdir(join(dir, 'scripts'), { recursive: true });
  const room = "function say(state, msg, ctx) { if (msg.text === 'grow' || msg.text === 'shrink') for (const { ref } of ctx.here.contents) ctx.send(ref, { type: msg.text }); }";
  await writeFile(join(dir, 'scripts', 'grower.js'), room);
  await writeFile(join(dir, 'scripts', 'small_heap.js'), HEAP_SCRIPT(SMALL));
  await writeFile(join(dir, 'scripts', 'large_heap.js'), HEAP_SCRIPT(LARGE));
  const items = (prefix: string, script: string) => heaps(prefix).map((id) => `  ${id}: { kind: item, name: a heap, description: A heap., script: scripts/${script} }`);
  await writeFile(join(dir, 'world.yaml'), [
    'world: { name: Heaps, start: den }',
    'rooms:',
    `  den: { name: The Den, description: Small heaps., exits: { east: hall }, items: [${heaps('small').join(', ')}], script: scripts/grower.js }`,
    `  hall: { name: The Hall, description: Large heaps., exits: { west: den }, items: [${heaps('large').join(', ')}], script: scripts/grower.js }`,
    'items:',
    ...items('small', 'small_heap.js'),
    ...items('large', 'large_heap.js'),
  ].join('\n'));
  return dir;
}

const BOUND_WARNING = /^script turns of one command or timer wrote \d+ KiB of state, and may write 256 KiB \(a turn in flight counts as 64 KiB\): its further deliveries to scripts wait for the world's budget for script timers \(\d+ now, the first 'grow' from room\/hall to item\/large_\d+, \S+large_heap\.js\)$/;

describe('chain write bound', () => {
  let world: string;
  beforeAll(async () => {
    world = await heapWorld();
  });
  afterAll(async () => {
    if (world) await rm(join(world, '..'), { recursive: true, force: true });
  });

  for (const [mode, nodes] of [['in-process', 0], ['actor', 2], ['function', 2]] as const) {
    it(`scripts - ${mode}: a command's fan-out to large states goes on under the world's budget, each once; small states go in the command`, async () => {
      const events: LogEvent[] = [];
      const log = new Logger(null);
      log.subscribe((e) => events.push(e));
      const warnings = () => events.filter((e) => e.level === 'warn').map((e) => String(e.fields.text));
      const h: EngineHarness = await engineHarness({ dispatch: mode, nodes, worldDir: world, log });
      const seen = () => (h.lines.get('player/ina') ?? []).join('\n');
      const grown = (prefix: string) => heaps(prefix).map((id) => seen().split(`item/${id} grows`).length - 1);
      try {
        await h.engine.connect('player/ina');
        // Twelve small states: every heap grows within the command, and the builder hears nothing.
        await h.type('player/ina', 'say grow');
        expect(grown('small')).toEqual(Array(HEAPS).fill(1));
        expect(warnings()).toEqual([]);

        await h.type('player/ina', 'east');
        const started = performance.now();
        await h.type('player/ina', 'say grow');
        // The command is answered once its chain's bound is spent: four turns in flight at 64 KiB each.
        const inCommand = grown('large').reduce((a, b) => a + b, 0);
        expect(inCommand).toBeLessThanOrEqual(Math.floor(CHAIN_WRITE_CHARS / LARGE));
        expect(warnings().filter((w) => BOUND_WARNING.test(w)), warnings().join('\n')).toHaveLength(1);
        // The rest are delivered later, each once, no faster than the world's budget for writes allows.
        await waitUntil(() => grown('large').every((n) => n >= 1), 20_000, () => `every large heap to grow: ${grown('large')}`);
        const seconds = (performance.now() - started) / 1000;
        const { writeBurstChars, writeCharsPerSecond } = DEFAULT_SCRIPT_TIMER_BUDGET;
        const least = (HEAPS * LARGE - CHAIN_WRITE_CHARS - writeBurstChars - LARGE) / writeCharsPerSecond;
        console.log(`${mode}: ${inCommand} heaps grew in the command, all ${HEAPS} after ${seconds.toFixed(2)} s (at least ${least.toFixed(2)} s)`);
        expect(seconds).toBeGreaterThanOrEqual(least);
        await h.engine.quiesce();
        expect(grown('large')).toEqual(Array(HEAPS).fill(1));
      } finally {
        await h.close();
      }
    }, 40_000);
  }

  it('scripts - a heap whose grow was deferred hears a shrink said after it once it grew, never before, each once', async () => {
    const h: EngineHarness = await engineHarness({ dispatch: 'in-process', nodes: 0, worldDir: world, log: new Logger(null) });
    const seen = () => (h.lines.get('player/ina') ?? []).join('\n');
    const shrunk = () => [...seen().matchAll(/item\/(large_\d+) shrinks after (\d+) grows/g)].map((m) => `${m[1]}:${m[2]}`);
    try {
      await h.engine.connect('player/ina');
      await h.type('player/ina', 'east');
      await h.type('player/ina', 'say grow');
      // Said while most heaps' grow still waits for the world's budget: those hear it after their grow,
      // as they would without the bound (before, it overtook the grow, and the heap grew after it shrank).
      await h.type('player/ina', 'say shrink');
      await waitUntil(() => shrunk().length >= HEAPS, 20_000, () => `every large heap to shrink: ${shrunk().join(', ')}`);
      await h.engine.quiesce();
      expect(shrunk().sort()).toEqual(heaps('large').map((id) => `${id}:1`).sort());
    } finally {
      await h.close();
    }
  }, 40_000);
});
