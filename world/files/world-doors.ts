import type { Ref } from '../core/types.js';
import type { ItemDraft } from './world-items.js';
import type { Spot } from './world-schema.js';
import type { RoomDraft } from './world-sections.js';

// The whole-world checks of doors: a door is an item of kind `door` that the
// exits between two rooms name (`north: { to: library, door: oak_door }`), one
// door for both sides. It is in no room's items: its place is the exits. Each
// door learns the rooms it stands between (`props.rooms`), so opening it can
// tell both sides (world/kinds/door.ts).

type Fail = (spot: Spot, message: string) => void;

export function linkDoors(rooms: Map<string, RoomDraft>, items: Map<Ref, ItemDraft>, fail: Fail): void {
  const sides = new Map<Ref, Array<{ room: RoomDraft; dir: string; target: string; spot: Spot }>>();
  for (const room of rooms.values()) {
    for (const exit of room.exits) {
      if (!exit.door) continue;
      const ref = `item/${exit.door}`;
      const door = items.get(ref);
      const spot = exit.doorSpot ?? exit.spot;
      if (!door) fail(spot, `exit ${exit.dir} of room '${room.def.id}' has unknown door '${exit.door}'`);
      else if (door.def.kind !== 'door') fail(spot, `exit ${exit.dir} of room '${room.def.id}' names '${exit.door}' as its door, but it is a ${door.def.kind}, not a door`);
      else (sides.get(ref) ?? sides.set(ref, []).get(ref)!).push({ room, dir: exit.dir, target: exit.target, spot });
    }
  }
  for (const item of items.values()) {
    if (item.def.kind !== 'door') continue;
    const on = sides.get(item.def.ref) ?? [];
    if (on.length === 0) fail(item.spot, `door '${item.def.id}' is on no exit (name it in an exit: north: { to: <room>, door: ${item.def.id} })`);
    else if (on.length > 2) fail(on[2].spot, `door '${item.def.id}' is on ${on.length} exits; a door joins two rooms (one exit each side)`);
    else if (on.length === 2 && (on[0].target !== on[1].room.def.id || on[1].target !== on[0].room.def.id)) {
      fail(on[1].spot, `door '${item.def.id}' is on exits that do not face each other (${on[0].room.def.id} ${on[0].dir}, ${on[1].room.def.id} ${on[1].dir})`);
    }
    if (on.length > 0) item.def.props = { ...item.def.props, rooms: on.map((s) => s.room.def.ref) };
  }
  const placed = (owner: string, p: { id: string; spot: Spot }) => {
    if (items.get(`item/${p.id}`)?.def.kind === 'door') fail(p.spot, `door '${p.id}' is placed in ${owner}: a door goes on exits, not among things`);
  };
  for (const room of rooms.values()) for (const p of room.placements) placed(`room '${room.def.id}'`, p);
  for (const item of items.values()) for (const p of item.contents) placed(`'${item.def.id}'`, p);
}
