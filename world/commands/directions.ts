/** Compass and vertical directions, their abbreviations and opposites. */
export const DIRECTIONS = [
  'north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast', 'southwest', 'up', 'down', 'in', 'out',
] as const;

export type Direction = (typeof DIRECTIONS)[number];

export const DIRECTION_ALIASES: Readonly<Record<string, Direction>> = {
  n: 'north', s: 'south', e: 'east', w: 'west',
  ne: 'northeast', nw: 'northwest', se: 'southeast', sw: 'southwest',
  u: 'up', d: 'down',
};

const OPPOSITE: Readonly<Record<Direction, Direction>> = {
  north: 'south', south: 'north', east: 'west', west: 'east',
  northeast: 'southwest', southwest: 'northeast', northwest: 'southeast', southeast: 'northwest',
  up: 'down', down: 'up', in: 'out', out: 'in',
};

export function isDirection(word: string): word is Direction {
  return (DIRECTIONS as readonly string[]).includes(word);
}

/** The direction a word names, in full or abbreviated (`n`, `u`); undefined when it names none. */
export function directionOf(word: string): Direction | undefined {
  return DIRECTION_ALIASES[word] ?? (isDirection(word) ? word : undefined);
}

export function opposite(dir: string): string | null {
  return isDirection(dir) ? OPPOSITE[dir] : null;
}

/** "from the south", "from above", "from outside" */
export function fromPhrase(dir: string | null): string {
  if (!dir) return 'out of thin air';
  if (dir === 'up') return 'from above';
  if (dir === 'down') return 'from below';
  if (dir === 'in') return 'from inside';
  if (dir === 'out') return 'from outside';
  return `from the ${dir}`;
}
