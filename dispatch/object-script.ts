import type { Ref } from '../world/core/types.js';
import type { LoadedWorld } from './dispatcher.js';

/** The script an object's timers count against in the world's budget: its file (an inline
 *  one: the world file and line), shared by every object that runs it; else the object. */
export function scriptOf(world: LoadedWorld, ref: Ref): string {
  const def = world.def(ref);
  const script = def && 'script' in def ? def.script : undefined;
  return script ? (script.file.endsWith('.js') ? script.file : `${script.file}:${script.line}`) : ref;
}

/** Whether the object runs a builder's script (its turns may write script state). */
export function runsScript(world: LoadedWorld, ref: Ref): boolean {
  const def = world.def(ref);
  return def !== undefined && 'script' in def && def.script !== undefined;
}
