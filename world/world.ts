import type { AreaDef, ObjectDef, Ref, ScriptHook, ScriptSource, WorldView } from './types.js';
import { formatWorldError, type WorldDefinition, type WorldError } from './world-def.js';
import { compileScript } from './script-sandbox.js';
import { isSpawned, originalOf } from './spawned-refs.js';

/** The live, read-only world the turn handlers consult: the loaded definition
 *  plus every builder script compiled into its sandbox. Built on each node from
 *  the plain definition (which is what crosses threads and processes). */
export class World implements WorldView {
  private byRef: Map<Ref, ObjectDef> | undefined;
  readonly startRoom: Ref;
  readonly name: string;
  readonly areas: Readonly<Record<string, AreaDef>>;

  private constructor(
    readonly definition: WorldDefinition,
    private readonly hooks: ReadonlyMap<Ref, ReadonlyMap<string, ScriptHook>>,
  ) {
    this.startRoom = definition.startRoom;
    this.name = definition.name;
    this.areas = definition.areas;
  }

  /** Compiles every script. Throws if one does not compile: the loader has
   *  already checked them, so this means a definition that skipped the loader. */
  static create(def: WorldDefinition, opts: { scriptTimeoutMs?: number } = {}): World {
    const bySource = new Map<string, ReadonlyMap<string, ScriptHook>>();
    const hooks = new Map<Ref, ReadonlyMap<string, ScriptHook>>();
    const errors: WorldError[] = [];
    for (const obj of [...Object.values(def.rooms), ...Object.values(def.items)]) {
      if (!obj.script) continue;
      // Instances of one item share its script: one sandbox serves them all,
      // since a script keeps nothing between turns but the state it is given.
      const key = sourceKey(obj.script);
      let compiled = bySource.get(key);
      if (!compiled) {
        const result = compileScript(obj.script, { timeoutMs: opts.scriptTimeoutMs });
        if (!result.ok) {
          errors.push(result.error);
          continue;
        }
        compiled = result.hooks;
        bySource.set(key, compiled);
      }
      hooks.set(obj.ref, compiled);
    }
    if (errors.length > 0) throw new Error(`world scripts do not compile:\n${errors.map(formatWorldError).join('\n')}`);
    return new World(def, hooks);
  }

  /** A room shard (`room/plaza~2`) is its base room, a respawned copy its original;
   *  players are not defined by the world. */
  def(ref: Ref): ObjectDef | undefined {
    // Every turn asks several times: one Map lookup, shards resolved only when named.
    return this.defs.get(ref) ?? (ref.includes('~') || isSpawned(ref) ? this.defs.get(baseRef(ref)) : undefined);
  }

  hook(ref: Ref, type: string): ScriptHook | undefined {
    if (this.hooks.size === 0) return undefined;
    return (this.hooks.get(ref) ?? (ref.includes('~') || isSpawned(ref) ? this.hooks.get(baseRef(ref)) : undefined))?.get(type);
  }

  private get defs(): Map<Ref, ObjectDef> {
    this.byRef ??= new Map<Ref, ObjectDef>([...Object.entries(this.definition.rooms), ...Object.entries(this.definition.items)]);
    return this.byRef;
  }

  /** Every room and item ref, or those of one sort. */
  *refs(sort?: 'room' | 'item'): IterableIterator<Ref> {
    if (sort !== 'item') yield* Object.keys(this.definition.rooms);
    if (sort !== 'room') yield* Object.keys(this.definition.items);
  }
}

/** A shard is its base room; a respawned copy is the item it copies (world/item-respawn.ts). */
function baseRef(ref: Ref): Ref {
  return ref.startsWith('room/') ? ref.replace(/~\d+$/, '') : originalOf(ref);
}

function sourceKey(src: ScriptSource): string {
  return `${src.file}\0${src.line}\0${src.code}`;
}
