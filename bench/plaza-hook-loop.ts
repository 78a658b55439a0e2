// The plaza's hooks called where turns call them: runTurn on room/mystical_plaza
// with its shipped script, a crowd of 200 whose visits fill its `greeted` memory,
// each bot leaving east and coming back (exit, enter), as the shipped hot room's
// bots do. The figure is the hook call itself, timed around the real hook in its
// place in the turn (the world's `hook` wrapped), in each mode's setting:
//   in-process  this thread, the record kept as the turn left it (a local map);
//   actor       the same on a node's thread (run from a worker);
//   function    two nodes' worth of stateless turns on one thread, each with its own
//               world and read cache over one store, every turn on either at random:
//               half the time the record was written by the other (sent whole).

import { runTurn, type ObjectRecord } from '../world/core/turn.js';
import { StatelessTurns } from '../modes/function/stateless-turns.js';
import { RemoteStore, serveStoreOp } from '../store/remote-store.js';
import { ReadCache } from '../store/read-cache.js';
import { MemoryStore } from '../store/memory-store.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { Msg, Ref, ScriptHook, WorldView } from '../world/core/types.js';

export const PLAZA: Ref = 'room/mystical_plaza';
export const CROWD = 200;
export type LoopMode = 'in-process' | 'actor' | 'function';

export interface HookTimes {
  /** Microseconds of each hook call, in order. */
  micros: number[];
  failures: number;
  /** Entries in the plaza's `greeted` memory at the end. */
  greeted: number;
}

/** The world with each hook timed where runTurn calls it. */
function timed(world: WorldView, out: HookTimes): WorldView {
  const wrapped = new Map<ScriptHook, ScriptHook>();
  const hook = (ref: Ref, type: string): ScriptHook | undefined => {
    const real = world.hook(ref, type);
    if (!real || ref !== PLAZA) return real;
    let w = wrapped.get(real);
    if (!w) {
      w = (input) => {
        const started = performance.now();
        const outcome = real(input);
        out.micros.push((performance.now() - started) * 1000);
        if (!outcome.ok) out.failures += 1;
        return outcome;
      };
      wrapped.set(real, w);
    }
    return w;
  };
  return new Proxy(world, { get: (target, key) => (key === 'hook' ? hook : Reflect.get(target, key)) });
}

function messages(i: number): Msg[] {
  const n = i % CROWD;
  const player = `player/guest${n}`;
  const name = `Guest${n}`;
  return [
    { id: `b${i}-x`, type: 'exit', player, actor: player, name, dir: 'east', to: 'room/armory', fromDir: 'west' },
    { id: `b${i}-e`, type: 'enter', player, actor: player, name, from: 'room/armory', dir: 'west' },
  ];
}

/** Calls the plaza's hooks through runTurn for `ms` after a warm-up of `warmupMs`. */
export async function plazaHookLoop(mode: LoopMode, ms: number, warmupMs: number): Promise<HookTimes> {
  const out: HookTimes = { micros: [], failures: 0, greeted: 0 };
  const config = { shardCapacity: 0 };
  const now = Date.now();
  if (mode === 'function') {
    const store = new MemoryStore();
    const nodes = await Promise.all([0, 1].map(async () => {
      const world = timed(await loadLiveWorld(DEFAULT_WORLD), out);
      return new StatelessTurns(new RemoteStore((op) => serveStoreOp(store, op), true, new ReadCache()), world);
    }));
    const run = async (deadline: number) => {
      for (let i = 0; performance.now() < deadline; i++) {
        for (const msg of messages(i)) await nodes[Math.random() < 0.5 ? 0 : 1].run(PLAZA, msg, config);
      }
    };
    await run(performance.now() + warmupMs);
    out.micros.length = 0;
    await run(performance.now() + ms);
    const record = (await store.get(PLAZA))?.value as ObjectRecord | undefined;
    out.greeted = greetedIn(record);
    return out;
  }
  const world = timed(await loadLiveWorld(DEFAULT_WORLD), out);
  let record: ObjectRecord | undefined;
  const run = (deadline: number) => {
    for (let i = 0; performance.now() < deadline; i++) {
      for (const msg of messages(i)) {
        const turn = runTurn(world, config, PLAZA, record, msg, now + i);
        if (turn.changed) record = turn.record;
      }
    }
  };
  run(performance.now() + warmupMs);
  out.micros.length = 0;
  run(performance.now() + ms);
  out.greeted = greetedIn(record);
  return out;
}

function greetedIn(record: ObjectRecord | undefined): number {
  const greeted = (record?.state as { vars?: { greeted?: object } } | undefined)?.vars?.greeted;
  return greeted ? Object.keys(greeted).length : 0;
}
