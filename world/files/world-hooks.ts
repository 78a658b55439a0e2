import type { ItemDef, Ref, ScriptHook, ScriptSource } from '../core/types.js';
import { formatWorldError, type WorldError } from './world-def.js';
import { compileScript } from '../scripts/script-sandbox.js';
import { isSpawned, originalOf } from '../core/spawned-refs.js';
import { CORPSE, CORPSE_DEF } from '../kinds/corpse.js';

/** The sandboxes of the worlds this thread holds, by script: a world loaded again (`@reload`, every building
 *  command) takes over those of its unchanged scripts from the world it replaces instead of compiling them again
 *  while every player waits (5-70 ms a script). Held weakly: a sandbox lives as long as a world uses it. */
const live = new Map<string, WeakRef<ReadonlyMap<string, ScriptHook>>>();

/** The builder scripts of a world compiled into their sandboxes, by object.
 *  Throws if one does not compile: the loader has already checked them, so
 *  this means a definition that skipped the loader. */
export function compileHooks(
  scripts: Iterable<[Ref, ScriptSource]>, opts: { scriptTimeoutMs?: number } = {},
): Map<Ref, ReadonlyMap<string, ScriptHook>> {
  const bySource = new Map<string, ReadonlyMap<string, ScriptHook>>();
  const hooks = new Map<Ref, ReadonlyMap<string, ScriptHook>>();
  const errors: WorldError[] = [];
  for (const [key, held] of live) if (!held.deref()) live.delete(key);
  for (const [ref, script] of scripts) {
    // Instances of one item share its script: one sandbox serves them all,
    // since a script keeps nothing between turns but the state it is given.
    const key = `${opts.scriptTimeoutMs ?? ''}\0${script.file}\0${script.line}\0${script.code}`;
    let compiled = bySource.get(key) ?? live.get(key)?.deref();
    if (!compiled) {
      const result = compileScript(script, { timeoutMs: opts.scriptTimeoutMs });
      if (!result.ok) {
        errors.push(result.error);
        continue;
      }
      compiled = result.hooks;
      live.set(key, new WeakRef(compiled));
    }
    bySource.set(key, compiled);
    hooks.set(ref, compiled);
  }
  if (errors.length > 0) throw new Error(`world scripts do not compile:\n${errors.map(formatWorldError).join('\n')}`);
  return hooks;
}

/** An object's hook for a message type; a shard runs its base room's, a respawned copy its original's. */
export function hookOf(hooks: ReadonlyMap<Ref, ReadonlyMap<string, ScriptHook>>, ref: Ref, type: string): ScriptHook | undefined {
  if (hooks.size === 0) return undefined;
  return (hooks.get(ref) ?? (isDerived(ref) ? hooks.get(baseRef(ref)) : undefined))?.get(type);
}

/** A shard (`room/plaza~2`) or a respawned copy (world/core/spawned-refs.ts): defined by another ref. */
export function isDerived(ref: Ref): boolean {
  return ref.includes('~') || isSpawned(ref);
}

/** A shard is its base room, a respawned copy the item it copies (world/core/item-respawn.ts), for definitions and scripts. */
export function baseRef(ref: Ref): Ref {
  return ref.startsWith('room/') ? ref.replace(/~\d+$/, '') : originalOf(ref);
}

/** The items every world has though its files need not define them: the corpse a fallen player leaves. */
export function builtinDef(ref: Ref): ItemDef | undefined {
  return ref === CORPSE ? CORPSE_DEF : undefined;
}
