// The side panel: the room's name, its exits as buttons, who and what is here,
// and what the player carries, kept current from the server's out-of-band
// messages (GMCP package names: Room.Info, Room.Players, Room.AddPlayer,
// Room.RemovePlayer, Char.Items.List, Char.Name, Char.Vitals, and this server's
// Lattice.Map for the map of nearby rooms, web/room-map.js). All text goes in as text.
// Exits behind a shut door (Room.Info `doors`) say so on their button.

import { createRoomMap } from './room-map.js';

/** Room.Info names exits as GMCP mappers expect (n, ne, u); the buttons say them in full. */
const FULL = /** @type {Record<string, string>} */ ({
  n: 'north', s: 'south', e: 'east', w: 'west', ne: 'northeast', nw: 'northwest', se: 'southeast', sw: 'southwest', u: 'up', d: 'down',
});

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {(direction: string) => void} walk what a click on an exit does
 */
export function createSidePanel(walk) {
  const panel = $('panel');
  const roomName = $('room-name');
  const roomArea = $('room-area');
  const exits = $('exits');
  const people = $('people');
  const things = $('things');
  const inventory = $('inventory');
  const vitals = $('vitals');
  const hpText = $('hp-text');
  const hpBar = /** @type {HTMLMeterElement} */ ($('hp-bar'));
  const hpDoing = $('hp-doing');
  const map = createRoomMap($('map'));
  // On a phone the panel opens with only the room and its exits; the lists fold away under the story.
  if (window.matchMedia('(max-width: 48rem)').matches) $('details').removeAttribute('open');
  /** @type {Map<string, string>} name -> shown name */
  const players = new Map();
  let me = '';

  /** @param {HTMLElement} list @param {string[]} names @param {string} empty */
  function fill(list, names, empty) {
    list.replaceChildren(...(names.length ? names : [empty]).map((n) => {
      const li = document.createElement('li');
      li.textContent = n;
      if (!names.length) li.className = 'empty';
      return li;
    }));
  }

  function showPeople() {
    fill(people, [...players].filter(([name]) => name !== me).map(([, full]) => full), 'Nobody else');
  }

  /** @param {Record<string, number>} map @param {Record<string, string>} doors */
  function showExits(map, doors) {
    const shut = (/** @type {string} */ dir) => (doors?.[dir] === 'closed' || doors?.[dir] === 'locked' ? doors[dir] : '');
    const dirs = Object.keys(map ?? {}).map((dir) => [FULL[dir] ?? dir, shut(dir)]);
    exits.replaceChildren(...dirs.map(([dir, door]) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = door ? 'exit shut' : 'exit';
      button.textContent = door ? `${dir} (${door})` : dir;
      button.setAttribute('aria-label', door ? `Go ${dir}, through a ${door} door` : `Go ${dir}`);
      button.addEventListener('click', () => walk(dir));
      return button;
    }));
    if (!dirs.length) exits.textContent = 'No obvious exits';
  }

  /** @param {any} item */
  const itemName = (item) => `${item.name}${typeof item.attrib === 'string' && item.attrib.includes('l') ? ' (wielded)' : typeof item.attrib === 'string' && item.attrib.includes('w') ? ' (worn)' : ''}`;

  return {
    /** @param {string} pkg @param {any} data */
    receive(pkg, data) {
      switch (pkg) {
        case 'Char.Name':
          me = String(data?.name ?? '');
          break;
        case 'Room.Info':
          panel.hidden = false;
          roomName.textContent = String(data?.name ?? '');
          roomArea.textContent = String(data?.area ?? '');
          showExits(data?.exits, data?.doors);
          map.doors(data?.doors);
          break;
        case 'Lattice.Map':
          map.show(data);
          break;
        case 'Room.Players':
          players.clear();
          // IRE's shape is a list; older servers sent { players: [...] }.
          for (const p of Array.isArray(data) ? data : data?.players ?? []) players.set(String(p.name), String(p.fullname ?? p.name));
          showPeople();
          break;
        case 'Room.AddPlayer':
          players.set(String(data?.name), String(data?.fullname ?? data?.name));
          showPeople();
          break;
        case 'Room.RemovePlayer':
          players.delete(String(data));
          showPeople();
          break;
        case 'Char.Vitals': {
          const hp = Number(data?.hp);
          const max = Number(data?.maxhp);
          if (!Number.isFinite(hp) || !Number.isFinite(max) || max <= 0) break;
          vitals.hidden = false;
          hpText.textContent = `${hp}/${max}`;
          hpBar.max = max;
          hpBar.low = max * 0.3;
          hpBar.high = max * 0.7;
          hpBar.optimum = max;
          hpBar.value = hp;
          hpDoing.textContent = data?.fighting === true ? 'Fighting' : data?.position === 'resting' ? 'Resting' : data?.position === 'sleeping' ? 'Asleep' : '';
          break;
        }
        case 'Char.Items.List': {
          const names = (Array.isArray(data?.items) ? data.items : []).map(itemName);
          if (data?.location === 'inv') fill(inventory, names, 'Nothing');
          else if (data?.location === 'room') fill(things, names, 'Nothing');
          break;
        }
        default:
          // Packages the panel does not show (Char.Status, Comm.Channel.Text) are fine to ignore.
      }
    },
    reset() {
      panel.hidden = true;
      vitals.hidden = true;
      map.reset();
      players.clear();
      me = '';
    },
  };
}
