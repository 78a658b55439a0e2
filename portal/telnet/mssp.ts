import { IAC, SB, SE, MSSP } from './telnet-options.js';

const MSSP_VAR = 1;
const MSSP_VAL = 2;

/** What a MUD listing crawler asks (MSSP, option 70,
 *  https://tintin.mudhalla.net/protocols/mssp/): NAME, PLAYERS and UPTIME are
 *  required; the rest describe the server and the protocols it speaks. */
export interface ServerFacts {
  name: string;
  players(): number;
  /** Unix time (seconds) the server started. */
  startedAt: number;
  port: number;
  codebase: string;
  /** What the operator says of the game (flags of `mud serve`); each left out when not given. */
  listing?: ListingFacts;
  /** The world's size now (after a reload too). */
  world?(): { areas: number; rooms: number; mobiles: number };
}

export interface ListingFacts {
  hostname?: string;
  contact?: string;
  website?: string;
  /** The year the game opened. */
  created?: string;
}

/** Areas, rooms and creatures of a world definition, as listings count them. */
export function worldCounts(def: { areas: object; rooms: object; items: Record<string, { kind: string }> }): { areas: number; rooms: number; mobiles: number } {
  let mobiles = 0;
  for (const ref in def.items) if (def.items[ref].kind === 'npc') mobiles += 1;
  return { areas: Math.max(1, Object.keys(def.areas).length), rooms: Object.keys(def.rooms).length, mobiles };
}

export function msspVariables(facts: ServerFacts): Array<[string, string]> {
  const l = facts.listing ?? {};
  const size = facts.world?.();
  const optional: Array<[string, string | undefined]> = [
    ['HOSTNAME', l.hostname], ['CONTACT', l.contact], ['WEBSITE', l.website], ['CREATED', l.created],
    ['AREAS', size && String(size.areas)], ['ROOMS', size && String(size.rooms)], ['MOBILES', size && String(size.mobiles)],
  ];
  return [
    ['NAME', facts.name],
    ['PLAYERS', String(facts.players())],
    ['UPTIME', String(facts.startedAt)],
    ['CODEBASE', facts.codebase],
    ['PORT', String(facts.port)],
    ...optional.filter((v): v is [string, string] => v[1] !== undefined && v[1] !== ''),
    ['CRAWL DELAY', '-1'],
    ['LANGUAGE', 'English'],
    ['FAMILY', 'Custom'],
    ['GENRE', 'Fantasy'],
    ['GAMEPLAY', 'Adventure'],
    ['STATUS', 'Alpha'],
    ['GAMESYSTEM', 'None'],
    ['MINIMUM AGE', '0'],
    ['ANSI', '1'],
    ['XTERM 256 COLORS', '1'],
    ['UTF-8', '1'],
    ['GMCP', '1'],
    ['MCCP', '1'],
    ['MSDP', '0'],
    ['MXP', '0'],
    ['MSP', '0'],
    ['PUEBLO', '0'],
    ['VT100', '0'],
    ['SSL', '0'],
    ['PAY TO PLAY', '0'],
    ['PAY FOR PERKS', '0'],
    ['HIRING BUILDERS', '0'],
    ['HIRING CODERS', '0'],
  ];
}

/** IAC SB MSSP (MSSP_VAR name MSSP_VAL value)* IAC SE. Values never contain
 *  the protocol's bytes (0, 1, 2, 255): those are dropped. */
export function msspFrame(vars: ReadonlyArray<[string, string]>): Buffer {
  const parts: Buffer[] = [Buffer.from([IAC, SB, MSSP])];
  for (const [name, value] of vars) {
    parts.push(Buffer.from([MSSP_VAR]), clean(name), Buffer.from([MSSP_VAL]), clean(value));
  }
  parts.push(Buffer.from([IAC, SE]));
  return Buffer.concat(parts);
}

function clean(text: string): Buffer {
  return Buffer.from(Buffer.from(text.replace(/[\u0000-\u0002]/g, ''), 'utf8').filter((b) => b !== IAC));
}
