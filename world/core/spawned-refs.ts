import type { Ref } from './types.js';
import { timerBase } from './timers.js';

// The refs of items a respawn makes (world/core/item-respawn.ts): the original's
// ref, a mark world ids never hold, and a hash of the making message's id.
// `item/apple.2-k3x9q1m0bz1` is a copy of `item/apple.2`: it reads, looks and
// acts as the original's definition says, but it is an item of its own.

const COPY_MARK = '-';

/** The ref of a copy of `original` made by the turn of message `msgId`: the same on a re-run of that turn. */
export function spawnedRef(original: Ref, msgId: string): Ref {
  return `${original}${COPY_MARK}${timerBase(`${msgId}${COPY_MARK}${original}`).slice(1)}`;
}

/** Is this an item made by a respawn (not one the world files place)? */
export function isSpawned(ref: Ref): boolean {
  return ref.startsWith('item/') && ref.includes(COPY_MARK);
}

/** The world-file item a copy was made from (the ref itself for originals). */
export function originalOf(ref: Ref): Ref {
  const i = ref.indexOf(COPY_MARK);
  return i > 0 && ref.startsWith('item/') ? ref.slice(0, i) : ref;
}
