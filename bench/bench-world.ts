// The worlds the scenarios run on, by name: the shipped default world (its
// plaza is where parties happen) and generated grids, cached on disk.

import { join } from 'node:path';
import { DEFAULT_WORLD, PACKAGE_ROOT } from '../support/paths.js';
import { loadLiveWorld } from '../bin/live-world.js';
import type { World } from '../world/core/world.js';
import { gridFor, writeGridWorld, type GridSpec } from './world-gen.js';

export const RESULTS_DIR = join(PACKAGE_ROOT, 'bench', 'results');

/** 100 rooms (10 x 10), nine items each: where `uniform` players roam. */
export const UNIFORM_GRID: GridSpec = { width: 10, height: 10, itemsPerRoom: 9 };
const SMOKE_GRID: GridSpec = { width: 4, height: 4, itemsPerRoom: 2 };

export function gridSpec(smoke: boolean): GridSpec {
  return smoke ? SMOKE_GRID : UNIFORM_GRID;
}

/** The directory of a world: `default`, `grid` (smoke: a small one), `grid:<width>x<height>` (no items),
 *  `scripted:<w>x<h>` (a keeper creature in every room, rooms and keepers scripted), `keepers:<w>x<h>`
 *  (the same without a script), or `scale:<objects>`. */
export async function benchWorldDir(name: string, smoke = false): Promise<string> {
  if (name === 'default') return DEFAULT_WORLD;
  if (name === 'grid') {
    const spec = gridSpec(smoke);
    return writeGridWorld(join(RESULTS_DIR, 'worlds', `grid-${spec.width}x${spec.height}`), spec);
  }
  const grid = /^grid:(\d+)x(\d+)$/.exec(name);
  if (grid) {
    const [width, height] = [Number(grid[1]), Number(grid[2])];
    return writeGridWorld(join(RESULTS_DIR, 'worlds', `grid-${width}x${height}-bare`), { width, height, itemsPerRoom: 0 });
  }
  const keepers = /^(scripted|keepers):(\d+)x(\d+)$/.exec(name);
  if (keepers) {
    const [width, height] = [Number(keepers[2]), Number(keepers[3])];
    const kind = keepers[1] === 'scripted' ? 'scripted' : 'bare';
    return writeGridWorld(join(RESULTS_DIR, 'worlds', `grid-${width}x${height}-keepers-${kind}`), { width, height, itemsPerRoom: 0, keepers: kind });
  }
  const scale = /^scale:(\d+)$/.exec(name);
  if (scale) return writeGridWorld(join(RESULTS_DIR, 'worlds', `scale-${scale[1]}`), gridFor(Number(scale[1])));
  throw new Error(`unknown bench world "${name}"; expected default, grid, grid:<w>x<h>, scripted:<w>x<h>, keepers:<w>x<h> or scale:<objects>`);
}

export async function loadBenchWorld(name: string, smoke = false): Promise<World> {
  return loadLiveWorld(await benchWorldDir(name, smoke));
}
