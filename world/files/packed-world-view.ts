import type { AreaDef, ObjectDef, Ref, ScriptHook, ScriptSource, WorldView } from '../core/types.js';
import type { WorldDefinition } from './world-def.js';
import { isPackedWorld, PackedDefinitions, type PackedWorld } from './packed-world.js';
import { World } from '../core/world.js';
import type { SocialDef } from '../commands/socials.js';
import { baseRef, builtinDef, compileHooks, hookOf, isDerived } from './world-hooks.js';

/** What a node's turns consult, from whichever form of the world it was given:
 *  the plain definition (a node in another process), or the packed one that
 *  this process's worker threads share (world/files/packed-world.ts). */
export function worldFrom(source: WorldDefinition | PackedWorld): WorldView {
  return isPackedWorld(source) ? new PackedWorldView(source) : World.create(source);
}

/** The world over a packed definition: lookups decode on first use. */
export class PackedWorldView implements WorldView {
  readonly startRoom: Ref;
  readonly name: string;
  readonly areas: Readonly<Record<string, AreaDef>>;
  readonly socials: Readonly<Record<string, SocialDef>>;
  private readonly defs: PackedDefinitions;
  private readonly scripts: Array<[Ref, ScriptSource]>;
  private hooks: ReadonlyMap<Ref, ReadonlyMap<string, ScriptHook>> | undefined;

  constructor(packed: PackedWorld) {
    this.startRoom = packed.startRoom;
    this.name = packed.name;
    this.areas = packed.areas;
    this.socials = packed.socials;
    this.defs = new PackedDefinitions(packed);
    this.scripts = packed.scripts;
  }

  def(ref: Ref): ObjectDef | undefined {
    return this.defs.get(ref) ?? (isDerived(ref) ? this.defs.get(baseRef(ref)) ?? builtinDef(baseRef(ref)) : undefined);
  }

  hook(ref: Ref, type: string): ScriptHook | undefined {
    if (this.scripts.length === 0) return undefined;
    // Compiled when a turn first asks: a node that runs no turns (in-process, the gateway runs them all)
    // starts no script thread, some 16 MiB each (docs/BENCHMARKS.md, "Memory of mud serve"). The gateway
    // compiled the same scripts before any node started, so a world that does not compile never gets here.
    this.hooks ??= compileHooks(this.scripts);
    return hookOf(this.hooks, ref, type);
  }
}
