import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { emitRoomItems } from '../core/client-data.js';
import type { RoomState } from './room.js';

// What a room does with the dead: a creature lying dead here is listed as a
// body, not as alive (`fallen`, until it rises again); a fallen player's corpse
// that crumbled is let go (its contents came here first: world/kinds/corpse.ts).

type RoomHandler = (s: RoomState, m: Msg, ctx: TurnCtx) => RoomState | void;

const fallenOf = (s: RoomState): Ref[] => (Array.isArray(s.fallen) ? (s.fallen as Ref[]) : []);

export const remainsMoves: Record<string, RoomHandler> = {
  /** A creature here died: until it rises it is a body. */
  fell(s, m, ctx) {
    const npc = m.npc as Ref;
    const fallen = fallenOf(s);
    if (fallen.includes(npc) || !s.contents.includes(npc)) return;
    const next = { ...s, fallen: [...fallen, npc] };
    emitRoomItems(next.contents, ctx, next.fallen);
    return next;
  },
  /** A creature back from death (or gone from here). */
  rose(s, m, ctx) {
    const npc = m.npc as Ref;
    const fallen = fallenOf(s);
    if (!fallen.includes(npc)) return;
    const next = { ...s, fallen: fallen.filter((r) => r !== npc) };
    emitRoomItems(next.contents, ctx, next.fallen);
    return next;
  },
  /** A player's corpse crumbled: what it held is already on its way here; the corpse itself is gone. */
  crumble(s, m, ctx) {
    const corpse = m.item as Ref;
    if (!s.contents.includes(corpse)) return;
    const contents = s.contents.filter((r) => r !== corpse);
    emitRoomItems(contents, ctx, fallenOf(s));
    return { ...s, contents };
  },
};
