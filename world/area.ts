import type { Ref, WorldView } from './types.js';

// An area: the rooms a shout reaches (and, for client mappers, Room.Info's
// `area`). A world is one area today, named by the world file; when rooms get
// areas of their own, this is the one place that says which a room is in.

export function areaOf(_room: Ref, world: WorldView): string {
  return world.name ?? 'world';
}
