import type { Ref } from '../core/types.js';
import type { ItemDraft } from './world-items.js';
import type { Spot } from './world-schema.js';
import type { RoomDraft } from './world-sections.js';

// The whole-world checks of what players do with things: what can be eaten
// starts lying in a room, its `home`, where an eaten one goes back to (it exists
// once, and grows back where it came from); what a creature `accepts` is an item.

type Fail = (spot: Spot, message: string) => void;

export function linkUses(rooms: Map<string, RoomDraft>, items: Map<Ref, ItemDraft>, fail: Fail): void {
  const home = new Map<Ref, Ref>();
  for (const room of rooms.values()) for (const p of room.placements) home.set(`item/${p.id}`, room.def.ref);
  const bases = new Set([...items.values()].map((i) => i.baseId));
  for (const item of items.values()) {
    const props = item.def.props;
    if (typeof props.eat === 'string') {
      const room = home.get(item.def.ref);
      if (room) item.def.props = { ...props, home: room };
      else fail(item.spot, `item '${item.def.id}' can be eaten, so it must start lying in a room (an eaten one goes back there)`);
    }
    const accepts = props.accepts;
    if (!Array.isArray(accepts)) continue;
    for (const id of accepts) if (!bases.has(String(id))) fail(item.spot, `creature '${item.def.id}' accepts unknown item '${String(id)}'`);
  }
}
