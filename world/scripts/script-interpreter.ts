import { DefaultIntrinsics, newQuickJSWASMModuleFromVariant, newVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSSyncVariant } from 'quickjs-emscripten-core';
import * as releaseSyncModule from '@jitl/quickjs-wasmfile-release-sync';

// The QuickJS interpreter every script of this thread runs in: one WebAssembly
// instance, loaded with this module, in a memory whose maximum nothing can grow
// past, and the runtimes made in it, one per script.

/** The hard bound: the WebAssembly memory all of a thread's scripts live in
 *  cannot grow past it, whatever a script does. A script's runtime takes about
 *  150 KB at rest, so the default holds some 400 scripts; MUD_SCRIPT_MEMORY_MB
 *  raises it (read when the server starts, by every thread). */
export const WORLD_SCRIPT_MEMORY_BYTES = scriptMemoryFromEnv(process.env.MUD_SCRIPT_MEMORY_MB) ?? 64 * 1024 * 1024;
const WASM_PAGE = 64 * 1024;
const WASM_MEMORY = new WebAssembly.Memory({ initial: (16 * 1024 * 1024) / WASM_PAGE, maximum: WORLD_SCRIPT_MEMORY_BYTES / WASM_PAGE });
/** Interpreter stack of one script's runtime: bounds recursion. */
export const DEFAULT_SCRIPT_STACK_BYTES = 256 * 1024;

/** One WebAssembly instance per thread, loaded with this module, in a memory of fixed maximum. */
const QUICKJS = await newQuickJSWASMModuleFromVariant(newVariant(releaseSyncModule.default as unknown as QuickJSSyncVariant, {
  wasmMemory: WASM_MEMORY,
}));
/** Typed arrays are left out: no turn needs them, and their buffers are the easiest way past a heap limit. */
const INTRINSICS = { ...DefaultIntrinsics, TypedArrays: false };

/** A runtime with its limits and a context with the allowed built-ins. */
export function newInterpreter(memoryBytes: number, interrupt: () => boolean): { runtime: QuickJSRuntime; context: QuickJSContext } {
  const runtime = QUICKJS.newRuntime();
  runtime.setMemoryLimit(memoryBytes);
  runtime.setMaxStackSize(DEFAULT_SCRIPT_STACK_BYTES);
  runtime.setInterruptHandler(interrupt);
  return { runtime, context: runtime.newContext({ intrinsics: INTRINSICS }) };
}

/** Whether the thread's script memory has (nearly) reached its maximum. */
export function threadMemoryFull(): boolean {
  return WASM_MEMORY.buffer.byteLength >= 0.9 * WORLD_SCRIPT_MEMORY_BYTES;
}

/** A script's QuickJS objects, kept apart from its runner so they can be freed once the runner is gone. */
export interface Handles {
  runtime?: QuickJSRuntime;
  context?: QuickJSContext;
  run?: QuickJSHandle;
}

export function freeHandles(h: Handles): void {
  try {
    h.run?.dispose();
    h.context?.dispose();
    h.runtime?.dispose();
  } catch {
    // A trapped interpreter cannot free what it holds: the memory stays taken, nothing else can be done.
  }
  h.run = h.context = h.runtime = undefined;
}

/** A world replaced by a reload drops its scripts' runners; their runtimes live
 *  in the thread's WebAssembly memory, which only an explicit free gives back. */
export const RELEASED = new FinalizationRegistry<Handles>(freeHandles);

function scriptMemoryFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const mb = Number(value);
  if (!Number.isInteger(mb) || mb < 32 || mb > 4096) throw new Error(`MUD_SCRIPT_MEMORY_MB must be a whole number of MB from 32 to 4096, got '${value}'`);
  return mb * 1024 * 1024;
}

