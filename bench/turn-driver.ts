// Drives turns straight into dispatchers, with no sockets: the set-up shared by
// `micro` and `durable`. Many turns are kept in flight at once (one loop per
// object, each sending its next turn when the last one resolved), so the
// per-tick batching of the worker ports and of the store's group commit shows.

import type { Effect, Msg, Ref } from '../world/core/types.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { StateStore } from '../store/state-store.js';
import { WorkerLattice } from '../lattice/worker/worker-lattice.js';
import { silentLogger } from '../support/logger.js';
import type { Dispatcher, LoadedWorld } from '../dispatch/dispatcher.js';
import { InProcessDispatcher } from '../modes/in-process/in-process.js';
import { ActorDispatcher } from '../modes/actor/actor.js';
import { FunctionDispatcher } from '../modes/function/function.js';
import { NodePool } from '../modes/node-pool.js';
import { TurnMeter } from '../dispatch/turn-meter.js';
import { sleep } from './scenario.js';
import { nodeWorkerFile } from '../modes/node-worker-file.js';

export type DriverMode = 'in-process' | 'actor' | 'function';

/** A dispatcher of one mode over `store`, with worker-thread nodes for actor and function. */
export interface Rig {
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

export async function openRig(mode: DriverMode, store: StateStore, world: LoadedWorld, nodes: number): Promise<Rig> {
  const meter = new TurnMeter();
  if (mode === 'in-process') {
    const d = new InProcessDispatcher(store, world, meter);
    return { dispatcher: d, close: () => d.close() };
  }
  const log = silentLogger();
  const definition: WorldDefinition = world.definition;
  const lattice = new WorkerLattice({ store, definition: () => definition, log, readCache: process.env.MUD_READ_CACHE !== '0', entry: nodeWorkerFile() });
  await lattice.start(nodes);
  const pool = new NodePool(lattice, log);
  const dispatcher = mode === 'actor'
    ? new ActorDispatcher(pool, meter, { shardCapacity: () => 0 })
    : new FunctionDispatcher(pool, meter);
  return {
    dispatcher,
    close: async () => {
      pool.close();
      await lattice.close();
    },
  };
}

export interface DriveResult {
  turns: number;
  seconds: number;
  turnsPerSec: number;
  errors: number;
}

/** Runs `inFlight` loops over `refs` for `seconds` (after `warmup` seconds not
 *  counted); `message(ref, n)` makes the n-th message for an object. */
export async function drive(
  run: (ref: Ref, msg: Msg) => Promise<Effect[]> | Effect[],
  refs: readonly Ref[],
  message: (ref: Ref, n: number) => Msg,
  o: { inFlight: number; seconds: number; warmup: number; window?: { begin(): void; end(): void } },
): Promise<DriveResult> {
  let stop = false;
  let counting = false;
  let turns = 0;
  let errors = 0;
  const loop = async (slot: number): Promise<void> => {
    const ref = refs[slot % refs.length];
    for (let n = 0; !stop; n++) {
      // A turn on an in-memory store settles in microtasks alone: yield now and
      // then, or the timers that end the run (and the worker ports) never get a turn.
      if ((n & 31) === 31) await new Promise<void>((r) => setImmediate(r));
      try {
        await run(ref, message(ref, n));
        if (counting) turns += 1;
      } catch {
        errors += 1;
      }
    }
  };
  const loops = Array.from({ length: o.inFlight }, (_, i) => loop(i));
  await sleep(o.warmup * 1000);
  counting = true;
  o.window?.begin();
  const started = performance.now();
  await sleep(o.seconds * 1000);
  const seconds = (performance.now() - started) / 1000;
  const counted = turns;
  o.window?.end();
  stop = true;
  await Promise.all(loops);
  return { turns: counted, seconds, turnsPerSec: counted / seconds, errors };
}

/** The ceiling: the same turn function called directly in a tight loop, no
 *  dispatcher, no promises, for `seconds`. */
export function driveDirect(turn: (ref: Ref, n: number) => void, refs: readonly Ref[], seconds: number): DriveResult {
  // Warm up first, so the JIT has compiled the turn before the clock starts.
  for (let i = 0; i < 50_000; i++) turn(refs[i % refs.length], i);
  const until = performance.now() + seconds * 1000;
  let turns = 0;
  const started = performance.now();
  while (performance.now() < until) {
    // Check the clock once per batch: reading it costs about as much as a turn.
    for (let i = 0; i < 1000; i++) turn(refs[turns % refs.length], turns++);
  }
  const elapsed = (performance.now() - started) / 1000;
  return { turns, seconds: elapsed, turnsPerSec: turns / elapsed, errors: 0 };
}
