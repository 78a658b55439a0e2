// A node's thread for the `script` bench (bench/script-call.ts): runs the plaza's
// hooks there (bench/plaza-hook-loop.ts) and posts the times back.
import { parentPort, workerData } from 'node:worker_threads';
import { plazaHookLoop, type LoopMode } from './plaza-hook-loop.js';

const { mode, ms, warmupMs } = workerData as { mode: LoopMode; ms: number; warmupMs: number };
parentPort!.postMessage(await plazaHookLoop(mode, ms, warmupMs));
