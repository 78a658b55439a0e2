import type { Json, Msg, Ref, TurnCtx, WorldView } from './types.js';
import { itemDef } from '../kinds/item.js';
import { capitalize, listNames, nameOf } from '../commands/matching.js';
import { groupNames } from './grouped-names.js';
import { originalOf, spawnedRef } from './spawned-refs.js';

// Items that come back: an apple taken from the market, a sword taken from the
// armory's chest. Every item still exists exactly once: a respawn never brings
// the taken item back (it stays where it went), it makes a NEW item, a copy of
// the original's definition under a ref of its own. The place the item starts
// in (a room, a container) owns the respawn, on one durable timer:
//
// - After any turn that changed its contents, it notes since when each of its
//   starting items ("slots") has been gone, and keeps one timer for the
//   earliest due. A slot is filled by the original or by any copy of it: an
//   apple put back (whichever apple) means nothing new is made.
// - When the timer fires, each slot still empty for its whole delay gets a copy,
//   `<original>-<hash of the firing message's id>`: a turn re-run after a lost
//   race (function mode) or a fire delivered twice makes the same ref, which the
//   dedupe window and the spent timer then apply once.
// - The copy is told it was made (`spawned`), which writes its record: the item
//   audit (ops/item-audit.ts) knows a copy exists from its record even while
//   nobody holds it, so a lost copy is reported, never silently gone.
// See docs/architecture/respawn.md.

/** What a room or container keeps for respawns (both hold `contents`). */
interface Holder {
  contents: Ref[];
  /** While a slot is empty: since when (ms), and the pending timer. */
  respawning?: { missing: Record<Ref, number>; timer: string; due: number };
  [key: string]: Json | undefined;
}

/** Seconds until an empty slot gets a copy, or undefined when it never does. */
function delayOf(slot: Ref, world: WorldView): number | undefined {
  const def = itemDef(slot, world);
  // The loader keeps a `respawn` only on what comes back (world/files/world-areas.ts); a creature's is its
  // own return (world/kinds/npc.ts), not a slot's.
  return def && def.kind !== 'npc' && typeof def.props.respawn === 'number' ? def.props.respawn : undefined;
}

/** Does the original, or a copy of it, lie here? */
function filled(slot: Ref, contents: readonly Ref[]): boolean {
  for (const r of contents) if (r === slot || originalOf(r) === slot) return true;
  return false;
}

/** The starting items of a holder that respawn. */
function slotsOf(starting: readonly Ref[], world: WorldView): Ref[] {
  return starting.filter((slot) => delayOf(slot, world) !== undefined);
}

/** After a turn of a holder whose world-file starting items are `starting`:
 *  notes which are gone since when, and keeps the respawn timer armed for the
 *  earliest. Costs nothing on turns that leave the contents as they were. */
export function watchRespawns<S extends Holder>(before: S, after: S, starting: readonly Ref[], ctx: TurnCtx): S {
  if (after.contents === before.contents || starting.length === 0) return after;
  const slots = slotsOf(starting, ctx.world);
  if (slots.length === 0) return after;
  const was = after.respawning?.missing ?? {};
  const missing: Record<Ref, number> = {};
  for (const slot of slots) {
    if (filled(slot, after.contents)) continue;
    missing[slot] = was[slot] ?? ctx.now();
  }
  return rearm(after, missing, ctx);
}

/** The respawn timer fired: a copy of each starting item gone for its whole delay; the timer again for the rest. */
export function respawnItems<S extends Holder>(s: S, m: Msg, starting: readonly Ref[], ctx: TurnCtx): { state: S; made: Ref[] } | undefined {
  if (!s.respawning || s.respawning.timer !== m.id) return undefined;
  const missing: Record<Ref, number> = {};
  const made: Ref[] = [];
  for (const slot of slotsOf(starting, ctx.world)) {
    const since = s.respawning.missing[slot];
    if (since === undefined || filled(slot, s.contents)) continue;
    if (since + delayOf(slot, ctx.world)! * 1000 > ctx.now()) {
      missing[slot] = since;
      continue;
    }
    const copy = spawnedRef(slot, m.id);
    made.push(copy);
    ctx.send(copy, { type: 'spawned', holder: ctx.self, ...(ctx.self.startsWith('room/') ? { room: ctx.self } : {}) });
  }
  const { respawning: _spent, ...rest } = made.length ? { ...s, contents: [...s.contents, ...made] } : s;
  return { state: rearm(rest as S, missing, ctx, true), made };
}

/** Something eaten comes back to the place it started in (world/kinds/player-acts.ts
 *  `eat`). If the place grew another meanwhile, one of the two is let go, so a
 *  place never holds more than it started with: a copy, never the world file's
 *  own item (the copy is told, `eaten`, and its record says so for the audit).
 *  Returns the contents after, and the copy let go if any. */
export function regrow(contents: readonly Ref[], item: Ref): { contents: Ref[]; letGo?: Ref } {
  if (contents.includes(item)) return { contents: [...contents] };
  const slot = originalOf(item);
  const twin = contents.find((r) => originalOf(r) === slot);
  if (!twin) return { contents: [...contents, item] };
  if (item !== slot) return { contents: [...contents], letGo: item };
  return { contents: [...contents.filter((r) => r !== twin), item], letGo: twin };
}

/** "A red apple appears." / "Two red apples appear." */
export function appearLine(made: readonly Ref[], world: WorldView): string {
  return `${capitalize(listNames(groupNames(made.map((r) => nameOf(r, world)))))} ${made.length === 1 ? 'appears' : 'appear'}.`;
}

/** Keeps one timer for the earliest empty slot, cancelling it when none is left. */
function rearm<S extends Holder>(s: S, missing: Record<Ref, number>, ctx: TurnCtx, fired = false): S {
  const pending = fired ? undefined : s.respawning;
  const slots = Object.keys(missing);
  if (slots.length === 0) {
    if (pending) ctx.cancel(pending.timer);
    if (!s.respawning) return s;
    const { respawning: _gone, ...rest } = s;
    return rest as S;
  }
  let due = Infinity;
  for (const slot of slots) due = Math.min(due, missing[slot] + delayOf(slot, ctx.world)! * 1000);
  if (pending && pending.due <= due) return sameMissing(pending.missing, missing) ? s : { ...s, respawning: { ...pending, missing } };
  if (pending) ctx.cancel(pending.timer);
  try {
    const timer = ctx.after(Math.max(0, due - ctx.now()), { type: 'respawn' });
    return { ...s, respawning: { missing, timer, due } };
  } catch (e) {
    // Only a builder script holding all of the object's timers gets here: the
    // turn stands, and the next change of contents tries again.
    ctx.log('warn', `${ctx.self}: no respawn timer: ${(e as Error).message}`);
    const { respawning: _none, ...rest } = s;
    return rest as S;
  }
}

function sameMissing(a: Record<Ref, number>, b: Record<Ref, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
