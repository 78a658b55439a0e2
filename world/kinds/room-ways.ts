import type { Msg, Ref, RoomDef, TurnCtx, WorldView } from '../core/types.js';
import { findTarget, type Target } from '../commands/matching.js';
import { directionOf } from '../commands/directions.js';
import { doorOn, doorState, type DoorState } from '../core/doors.js';
import { nameOf } from '../commands/matching.js';
import { renderDescription } from '../core/builder-markup.js';
import { styled } from '../core/text-style.js';
import { emitRoomInfo } from '../core/client-data.js';
import type { RoomState } from './room.js';

// What a room does for finding one's way: `exits` and `look <direction>` (where
// each leads, and the doors on them), doors named as things (`open door`, `close north`), its
// doors' news (`doorChanged`), and the scenery its description mentions
// (`look yew`, the world file's `extras`).

type RoomHandler = (s: RoomState, m: Msg, ctx: TurnCtx) => RoomState | void;

function roomDef(ref: Ref, world: WorldView): RoomDef | undefined {
  const def = world.def(ref);
  return def?.kind === 'room' ? def : undefined;
}

export const roomWays: Record<string, RoomHandler> = {
  /** `exits`: every way out, where it leads, and what stands in it. */
  exits(s, m, ctx) {
    const def = roomDef(ctx.self, ctx.world);
    const dirs = def ? Object.keys(def.exits) : [];
    if (!def || dirs.length === 0) return ctx.tell(m.player as Ref, 'There are no obvious exits.');
    const width = Math.max(...dirs.map((d) => d.length));
    const lines = dirs.map((dir) => {
      const to = roomDef(def.exits[dir], ctx.world)?.name ?? 'somewhere';
      const door = doorOn(def, dir);
      const through = door ? ` (through ${nameOf(door, ctx.world)}, ${doorState(s.doors, def, dir, ctx.world)})` : '';
      return `  ${styled('exit', dir.padEnd(width))}  ${to}${through}`;
    });
    ctx.tell(m.player as Ref, `Obvious exits:\n${lines.join('\n')}`);
  },
  /** `look north`: where the exit leads, and the door standing in it. */
  lookWay(s, m, ctx) {
    const def = roomDef(ctx.self, ctx.world);
    const dir = m.dir as string;
    const to = def?.exits[dir];
    if (!def || !to) return ctx.tell(m.player as Ref, `There is no exit ${dir}.`);
    const door = doorOn(def, dir);
    const through = door ? `, through ${nameOf(door, ctx.world)} (${doorState(s.doors, def, dir, ctx.world)})` : '';
    ctx.tell(m.player as Ref, `To the ${dir} lies ${roomDef(to, ctx.world)?.name ?? 'somewhere'}${through}.`);
  },
  /** A door here opened, shut, locked or unlocked: remembered for `look`, and clients' maps redrawn. */
  doorChanged(s, m, ctx) {
    const def = roomDef(ctx.self, ctx.world);
    const dir = def && Object.keys(def.doors ?? {}).find((d) => def.doors![d] === m.door);
    if (!dir || !DOOR_STATES.has(m.state as string) || s.doors?.[dir] === m.state) return;
    const next = { ...s, doors: { ...s.doors, [dir]: m.state as string } };
    emitRoomInfo(next, ctx);
    return next;
  },
};

/** A door of this room a player names: by its keywords, or by the exit it stands in (`open north`). */
export function findDoor(self: Ref, target: Target, world: WorldView): Ref | undefined {
  const def = roomDef(self, world);
  if (!def?.doors) return undefined;
  const word = target.words.join(' ');
  const dir = directionOf(word);
  if (dir && target.n === 1) return def.doors[dir];
  return findTarget(target, [...new Set(Object.values(def.doors))], world).ref;
}

/** What to say when a door command names a direction that has no door (`open west`): that there is no door
 *  that way, or no way at all. Undefined for any other command or word. */
export function wayWithoutDoor(self: Ref, m: Msg, world: WorldView): string | undefined {
  const action = (m.action as { type?: string } | undefined)?.type;
  const target = m.target as Target | undefined;
  if (!action || !DOOR_ACTIONS.has(action) || !target || target.n !== 1) return undefined;
  const word = target.words.join(' ');
  const dir = directionOf(word);
  if (!dir) return undefined;
  return roomDef(self, world)?.exits[dir] ? `There is no door ${doorPlace(dir)}.` : `There is no exit ${dir}.`;
}

const DOOR_ACTIONS = new Set(['open', 'close', 'lock', 'unlock']);
const DOOR_STATES: ReadonlySet<string> = new Set<DoorState>(['open', 'closed', 'locked']);

/** "to the west", "above", "below", "on the way in". */
function doorPlace(dir: string): string {
  if (dir === 'up') return 'above';
  if (dir === 'down') return 'below';
  if (dir === 'in' || dir === 'out') return `on the way ${dir}`;
  return `to the ${dir}`;
}

/** `look yew`: the scenery of this room's description, if the target names some. */
export function extraText(self: Ref, target: Target, world: WorldView): string | undefined {
  const extras = roomDef(self, world)?.extras;
  const found = extras?.filter((e) => target.words.every((w) => e.keywords.some((k) => k.startsWith(w))))[target.n - 1];
  return found ? renderDescription(found.text) : undefined;
}
