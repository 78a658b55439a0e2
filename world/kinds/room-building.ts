import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { capitalize, nameOf } from '../commands/matching.js';
import { emitRoomItems } from '../core/client-data.js';
import type { RoomState } from './room.js';

// What a wizard's building does to a room's things (bin/building.ts): an item just
// made (`@create`) comes to lie here, one destroyed (`@destroy`) leaves. Only the
// engine sends these, for a wizard (Msg.wizard: a script cannot set it), and each
// changes nothing when the item is already where it should be: an item exists once.

type RoomHandler = (s: RoomState, m: Msg, ctx: TurnCtx) => RoomState | void;

export const roomBuilding: Record<string, RoomHandler> = {
  built(s, m, ctx) {
    const item = m.item as Ref;
    if (m.wizard !== true || m.script || !ctx.world.def(item) || s.contents.includes(item)) return;
    ctx.tellRoom(ctx.self, `${capitalize(nameOf(item, ctx.world))} appears.`);
    const contents = [...s.contents, item];
    emitRoomItems(contents, ctx, s.fallen);
    return { ...s, contents };
  },
  unbuild(s, m, ctx) {
    const item = m.item as Ref;
    if (m.wizard !== true || m.script || !s.contents.includes(item)) return;
    ctx.tellRoom(ctx.self, `${capitalize(nameOf(item, ctx.world))} crumbles to nothing.`);
    const contents = s.contents.filter((r) => r !== item);
    emitRoomItems(contents, ctx, s.fallen);
    return { ...s, contents };
  },
};
