import type { Json, Ref, RoomDef, WorldView } from './types.js';
import { baseRoom } from '../kinds/room-shards.js';
import { roomNumber } from './room-number.js';
import { unstyled } from './text-style.js';
import { mapperDirection } from './client-data.js';

// `map`: the rooms around the player, drawn from the world's exits on a grid.
// Compass exits place a room beside its neighbour; up, down, in and out have no
// place on a flat map and are marked on the room instead. A room whose place is
// already taken (a maze, a bent corridor) is left off rather than drawn wrong.
//
//          [B]
//           |
//   [C]----[@]----[D]
//           |
//          [E]----[F]
//
//   @ The Mystical Plaza (you)  B The Old Library ^  ...
//
// The browser's side panel draws the same placing (`mapData`, GMCP `Lattice.Map`).

const STEP: Readonly<Record<string, [number, number]>> = {
  north: [0, -1], south: [0, 1], east: [1, 0], west: [-1, 0],
  northeast: [1, -1], northwest: [-1, -1], southeast: [1, 1], southwest: [-1, 1],
};
/** How far from the player the map reaches, in steps. */
export const MAP_RADIUS = 2;
const CELL_W = 7;
const CELL_H = 2;
const HALF = Math.floor(CELL_W / 2);

interface Placed { ref: Ref; x: number; y: number; label: string }

export function renderMap(here: Ref, world: WorldView, radius = MAP_RADIUS): string {
  const start = baseRoom(here);
  const placed = place(start, world, radius);
  if (!placed) return 'You cannot make out your surroundings.';
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
  const width = (Math.max(...xs) - minX) * CELL_W + 3;
  const height = (Math.max(...ys) - minY) * CELL_H + 1;
  const grid = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  const at = new Map(placed.map((p) => [p.ref, p]));
  const put = (col: number, row: number, ch: string) => {
    if (row >= 0 && row < height && col >= 0 && col < width) grid[row][col] = ch;
  };
  for (const p of placed) {
    const col = (p.x - minX) * CELL_W;
    const row = (p.y - minY) * CELL_H;
    put(col, row, '[');
    put(col + 1, row, p.label);
    put(col + 2, row, ']');
    for (const [, [dx, dy]] of drawnExits(p, at, world)) {
      // Drawn from either end: a one-way exit shows as well as a two-way one.
      if (dy === 0) for (let c = 3; c < CELL_W; c++) put(dx > 0 ? col + c : col - CELL_W + c, row, '-');
      else if (dx === 0) put(col + 1, row + dy, '|');
      else put(col + 1 + dx * HALF, row + dy, dx === dy ? '\\' : '/');
    }
  }
  const lines = grid.map((r) => `  ${r.join('').trimEnd()}`);
  return [...lines, '', ...legend(placed, world)].join('\n');
}

/** The same map as data for a client to draw (GMCP `Lattice.Map`): each room
 *  placed (x east, y south, the player's at 0,0) with its room number as in
 *  `Room.Info`, and the exits drawn from it (mapper direction -> room number);
 *  exits with no place on a flat map (up, down, in) listed apart. */
export function mapData(here: Ref, world: WorldView, radius = MAP_RADIUS): Json {
  const placed = place(baseRoom(here), world, radius) ?? [];
  const at = new Map(placed.map((p) => [p.ref, p]));
  return {
    rooms: placed.map((p) => {
      const def = room(p.ref, world)!;
      const exits = Object.fromEntries(drawnExits(p, at, world).map(([dir, , to]) => [mapperDirection(dir), roomNumber(to)]));
      const apart = Object.keys(def.exits).filter((d) => !STEP[d]).map(mapperDirection);
      return { num: roomNumber(p.ref), name: unstyled(def.name), x: p.x, y: p.y, exits, ...(apart.length ? { apart } : {}), ...(p.label === '@' ? { here: true } : {}) };
    }),
  };
}

/** The exits of a placed room that lead to the room placed one step that way. */
function drawnExits(p: Placed, at: ReadonlyMap<Ref, Placed>, world: WorldView): Array<[string, [number, number], Ref]> {
  const drawn: Array<[string, [number, number], Ref]> = [];
  for (const [dir, to] of Object.entries(room(p.ref, world)!.exits)) {
    const step = STEP[dir];
    const other = at.get(to);
    if (step && other && other.x === p.x + step[0] && other.y === p.y + step[1]) drawn.push([dir, step, to]);
  }
  return drawn;
}

/** Breadth first from the player's room, each room at its neighbour plus the exit's step. */
function place(start: Ref, world: WorldView, radius: number): Placed[] | undefined {
  if (!room(start, world)) return undefined;
  const placed: Placed[] = [{ ref: start, x: 0, y: 0, label: '@' }];
  const taken = new Set(['0,0']);
  const seen = new Set([start]);
  let frontier = [placed[0]];
  for (let depth = 0; depth < radius; depth++) {
    const next: Placed[] = [];
    for (const p of frontier) {
      for (const [dir, to] of Object.entries(room(p.ref, world)!.exits)) {
        const step = STEP[dir];
        if (!step || seen.has(to) || !room(to, world)) continue;
        const [x, y] = [p.x + step[0], p.y + step[1]];
        if (taken.has(`${x},${y}`)) continue;
        seen.add(to);
        taken.add(`${x},${y}`);
        const q = { ref: to, x, y, label: String.fromCharCode(65 + placed.length - 1) };
        placed.push(q);
        next.push(q);
      }
    }
    frontier = next;
  }
  return placed;
}

/** "@ The Mystical Plaza (you)", "B The Old Library (a way up)": the ways off the drawn plane, which the map cannot
 *  show ("(up)" alone read as if the room itself lay up). */
function legend(placed: Placed[], world: WorldView): string[] {
  return placed.map((p) => {
    const def = room(p.ref, world)!;
    const vertical = Object.keys(def.exits).filter((d) => !STEP[d]);
    const ways = vertical.length === 0 ? [] : [`${vertical.length === 1 ? 'a way' : 'ways'} ${vertical.join(' and ')}`];
    const notes = [...(p.label === '@' ? ['you'] : []), ...ways];
    return `  ${p.label} ${def.name}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  });
}

function room(ref: Ref, world: WorldView): RoomDef | undefined {
  const def = world.def(ref);
  return def?.kind === 'room' ? def : undefined;
}
