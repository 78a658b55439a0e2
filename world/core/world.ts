import type { AreaDef, ObjectDef, Ref, ScriptHook, ScriptSource, WorldView } from './types.js';
import type { WorldDefinition } from '../files/world-def.js';
import { baseRef, builtinDef, compileHooks, hookOf, isDerived } from '../files/world-hooks.js';
import type { SocialDef } from '../commands/socials.js';

/** The live, read-only world the turn handlers consult: the loaded definition
 *  plus every builder script compiled into its sandbox. Built on each node from
 *  the plain definition (which is what crosses threads and processes), or from
 *  its packed form on this process's own nodes (world/files/packed-world-view.ts). */
export class World implements WorldView {
  readonly startRoom: Ref;
  readonly name: string;
  readonly areas: Readonly<Record<string, AreaDef>>;
  readonly socials: Readonly<Record<string, SocialDef>>;

  private constructor(
    readonly definition: WorldDefinition,
    private readonly hooks: ReadonlyMap<Ref, ReadonlyMap<string, ScriptHook>>,
  ) {
    this.startRoom = definition.startRoom;
    this.name = definition.name;
    this.areas = definition.areas;
    this.socials = definition.socials ?? {};
  }

  /** Compiles every script. Throws if one does not compile: the loader has
   *  already checked them, so this means a definition that skipped the loader. */
  static create(def: WorldDefinition, opts: { scriptTimeoutMs?: number } = {}): World {
    return new World(def, compileHooks(scripts(def), opts));
  }

  /** A room shard (`room/plaza~2`) is its base room, a respawned copy its original;
   *  players are not defined by the world. */
  def(ref: Ref): ObjectDef | undefined {
    // Every turn asks several times: one lookup in the definition's own records
    // (no second index of a million entries), shards and copies resolved only when named.
    return this.lookup(ref) ?? (isDerived(ref) ? this.lookup(baseRef(ref)) ?? builtinDef(baseRef(ref)) : undefined);
  }

  hook(ref: Ref, type: string): ScriptHook | undefined {
    return hookOf(this.hooks, ref, type);
  }

  /** Every room and item ref, or those of one sort. */
  *refs(sort?: 'room' | 'item'): IterableIterator<Ref> {
    if (sort !== 'item') yield* Object.keys(this.definition.rooms);
    if (sort !== 'room') yield* Object.keys(this.definition.items);
  }

  private lookup(ref: Ref): ObjectDef | undefined {
    const { rooms, items } = this.definition;
    return Object.hasOwn(rooms, ref) ? rooms[ref] : Object.hasOwn(items, ref) ? items[ref] : undefined;
  }
}

/** The rooms and items with a script, without listing all of them first. */
function* scripts(def: WorldDefinition): IterableIterator<[Ref, ScriptSource]> {
  for (const records of [def.rooms, def.items]) {
    for (const ref in records) {
      const script = records[ref].script;
      if (script) yield [ref, script];
    }
  }
}
