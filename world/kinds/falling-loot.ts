import type { Msg, Ref, WorldView } from '../core/types.js';
import { capitalize, nameOf } from '../commands/matching.js';
import { coinWords } from '../core/coins.js';

// What a room's onlookers see of a slain creature's loot falling (room.ts `loot`,
// room-coins.ts `coins`), one line per thing. The one whose blow killed it hears
// the same lines with that blow (npc.ts): told from the room's own turns they
// raced the striker's `struck` turn, and the rat's tail fell before the blow
// that killed the rat. So the creature names the striker in `told`, and the
// room leaves them out.

export function lootLine(item: Ref, from: Ref, world: WorldView): string {
  return `${capitalize(nameOf(item, world))} falls from ${nameOf(from, world)}.`;
}

export function coinsFallLine(n: number, from: Ref, world: WorldView): string {
  return `${capitalize(coinWords(n))} ${n === 1 ? 'falls' : 'fall'} from ${nameOf(from, world)}.`;
}

/** Who must not hear the line from the room: the striker told it already. */
export function toldAlready(m: Msg): Ref[] | undefined {
  return typeof m.told === 'string' ? [m.told] : undefined;
}
