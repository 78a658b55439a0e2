// The side panel's map: the rooms around the player, drawn as the `map` command
// draws them (world/core/room-map.ts), from the server's GMCP `Lattice.Map`
// (each room placed on a grid, its exits to the rooms beside it). The player's
// room is marked; a way out of it behind a shut door (Room.Info `doors`) is
// drawn dashed. Room names are text in <title> elements, never markup.

const SVG = 'http://www.w3.org/2000/svg';
/** Grid spacing and room size, in SVG units (the drawing scales to the panel). */
const CELL = 40;
const ROOM = 18;

/** @param {string} name @param {Record<string, string | number>} attrs */
function el(name, attrs) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

/** @param {HTMLElement} holder where the drawing goes */
export function createRoomMap(holder) {
  /** @type {any[]} */
  let rooms = [];
  /** @type {Record<string, string>} */
  let doors = {};

  function draw() {
    holder.hidden = rooms.length === 0;
    if (!rooms.length) return holder.replaceChildren();
    const xs = rooms.map((r) => r.x);
    const ys = rooms.map((r) => r.y);
    const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
    const at = (/** @type {number} */ v, /** @type {number} */ min) => (v - min) * CELL + CELL / 2;
    const width = (Math.max(...xs) - minX + 1) * CELL;
    const height = (Math.max(...ys) - minY + 1) * CELL;
    const byNum = new Map(rooms.map((r) => [r.num, r]));
    const here = rooms.find((r) => r.here);
    const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'map-drawing' });
    svg.setAttribute('aria-label', `Map: ${here ? `you are in ${here.name}; ` : ''}${rooms.filter((r) => !r.here).map((r) => r.name).join(', ')}`);
    // One line a pair of rooms, whichever end lists the way; dashed when the player's side of it is shut.
    /** @type {Map<string, { from: any, to: any, shut: boolean }>} */
    const ways = new Map();
    for (const room of rooms) {
      for (const [dir, num] of Object.entries(room.exits ?? {})) {
        const to = byNum.get(num);
        if (!to) continue;
        const key = [room.num, to.num].sort((a, b) => a - b).join('-');
        const shut = !!room.here && (doors[dir] === 'closed' || doors[dir] === 'locked');
        ways.set(key, { from: room, to, shut: shut || (ways.get(key)?.shut ?? false) });
      }
    }
    for (const { from, to, shut } of ways.values()) {
      svg.append(el('line', {
        x1: at(from.x, minX), y1: at(from.y, minY), x2: at(to.x, minX), y2: at(to.y, minY), class: shut ? 'map-way shut' : 'map-way',
      }));
    }
    for (const room of rooms) {
      const box = el('rect', {
        x: at(room.x, minX) - ROOM / 2, y: at(room.y, minY) - ROOM / 2, width: ROOM, height: ROOM, rx: 3,
        class: room.here ? 'map-room here' : 'map-room', 'data-num': room.num,
      });
      const title = el('title', {});
      title.textContent = `${room.name}${Array.isArray(room.apart) && room.apart.length ? ` (also ${room.apart.join(', ')})` : ''}`;
      box.append(title);
      svg.append(box);
      // Up, down, in: no place on a flat map, a small mark on the room instead.
      if (Array.isArray(room.apart) && room.apart.length) {
        svg.append(el('circle', { cx: at(room.x, minX) + ROOM / 2, cy: at(room.y, minY) - ROOM / 2, r: 3.5, class: 'map-apart' }));
      }
    }
    holder.replaceChildren(svg);
  }

  return {
    /** GMCP Lattice.Map. @param {any} data */
    show(data) {
      rooms = (Array.isArray(data?.rooms) ? data.rooms : []).filter((/** @type {any} */ r) => Number.isFinite(r?.x) && Number.isFinite(r?.y));
      for (const r of rooms) r.name = String(r.name ?? '');
      draw();
    },
    /** The doors of the player's room (Room.Info), which change without a new map. @param {any} states */
    doors(states) {
      doors = states && typeof states === 'object' ? states : {};
      if (rooms.length) draw();
    },
    reset() {
      rooms = [];
      doors = {};
      draw();
    },
  };
}
