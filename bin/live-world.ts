import { loadWorld, type LoadWorldResult } from '../world/files/world-loader.js';
import { World } from '../world/core/world.js';
import { formatWorldError } from '../world/files/world-def.js';
import { releaseStartupGarbage } from '../ops/startup-garbage.js';

/** Loads and compiles a world, or throws one Error listing the checker's findings. */
export async function loadLiveWorld(dir: string): Promise<World> {
  return liveWorld(dir, await loadWorld(dir));
}

/** Compiles what the loader read, or throws one Error listing the checker's findings. */
export function liveWorld(dir: string, loaded: LoadWorldResult): World {
  if (!loaded.ok) {
    const lines = loaded.errors.map(formatWorldError);
    throw new WorldLoadError(`world ${dir} has ${lines.length} error${lines.length === 1 ? '' : 's'}:\n${lines.join('\n')}`, lines);
  }
  const world = World.create(loaded.world);
  releaseStartupGarbage(Object.keys(loaded.world.rooms).length + Object.keys(loaded.world.items).length);
  return world;
}

export class WorldLoadError extends Error {
  override readonly name = 'WorldLoadError';
  constructor(message: string, readonly lines: string[]) {
    super(message);
  }
}

/** The checker's first lines for a wizard in the game (a screen, not a scroll), and how many more there are. */
export function firstLines(lines: readonly string[], more = ''): string {
  const rest = lines.length - SHOWN_LINES;
  return `${lines.slice(0, SHOWN_LINES).join('\n')}${rest > 0 ? `\n(and ${rest} more${more})` : ''}`;
}

const SHOWN_LINES = 10;
