import type { Ref } from './types.js';

/** A room's stable number for client mappers (GMCP Room.Info `num`, Mudlet's
 *  generic mapper): FNV-1a of the base room's ref, kept to 31 bits and never 0.
 *  It depends on nothing but the ref, so it survives reloads, reordering of
 *  the world files and restarts; a shard maps to its base room's number.
 *  `mud world check` refuses a world where two rooms collide. */
export function roomNumber(ref: Ref): number {
  const base = ref.replace(/~\d+$/, '');
  let h = 0x811c9dc5;
  for (let i = 0; i < base.length; i++) {
    h ^= base.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h & 0x7fffffff) || 1;
}
