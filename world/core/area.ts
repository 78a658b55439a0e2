import type { AreaDef, Ref, RespawnSettings, WorldView } from './types.js';

// An area: the rooms a shout reaches, the name client mappers file a room
// under (GMCP Room.Info `area`), and the pace of respawns. Declared in the
// world files (`areas:`, read by world/files/world-areas.ts); a room outside every
// declared area is in the world's default area.

/** The id of the area of rooms no `areas:` entry lists (the whole world, in a world without areas). */
export const DEFAULT_AREA = 'world';

/** Creatures back a minute after death; items, unless an area says so, do not come back. */
export const DEFAULT_RESPAWN: RespawnSettings = { npcs: 60, items: null };

/** The id of a room's area (a shard is in its base room's). */
export function areaOf(room: Ref, world: WorldView): string {
  const def = world.def(room);
  return def?.kind === 'room' ? def.area : DEFAULT_AREA;
}

/** The area a room is in, as defined. */
export function areaDef(room: Ref, world: WorldView): AreaDef | undefined {
  return world.areas[areaOf(room, world)];
}

/** What players and mappers call a room's area. */
export function areaName(room: Ref, world: WorldView): string {
  return areaDef(room, world)?.name ?? world.name ?? DEFAULT_AREA;
}
