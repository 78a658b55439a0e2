import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEdges, runtimeCycles, sourceFiles, type ImportEdge } from './helpers/import-graph.js';

// The layering that docs/ARCHITECTURE.md states, checked rather than remembered. A layer imports
// its own folder and the layers below it, never above or beside:
//   bench > bin > tui, bots > portal > ops > cluster > modes > dispatch > lattice > store > nats > support > world
// world imports nothing of ours; nothing imports test/.
const ROOT = join(import.meta.dirname, '..');
const LAYERS: Record<string, number> = {
  world: 0, support: 1, nats: 2, store: 3, lattice: 4, dispatch: 5, modes: 6, cluster: 7, ops: 8, portal: 9, bots: 10, tui: 10, bin: 11, bench: 12,
};
/** Concrete transports and store backends: the engine, the modes, sessions and the monitor see
 *  the Lattice and StateStore interfaces only (bin/ picks the concrete ones and passes them in). */
const CONCRETE = /^(nats\/|lattice\/(worker|nats)\/|store\/(file-store|nats-kv-store|nats-store-service|memory-store))/;
const INTERFACE_ONLY = /^(dispatch|modes|portal|tui)\//;

/** Breaks allowed for now, each named (with its reason) so it cannot grow unseen; the test fails when
 *  one is gone and still listed, so the list only shrinks. Issue 27's five are all cut. */
const KNOWN_BREAKS: string[] = [];

const files = sourceFiles(ROOT, Object.keys(LAYERS));
const edges = importEdges(ROOT, files);
const name = (e: ImportEdge): string => `${e.from} -> ${e.to}`;
const top = (path: string): string => path.split('/')[0];

function breaks(): string[] {
  const found: string[] = [];
  for (const e of edges) {
    const [a, b] = [top(e.from), top(e.to)];
    if (a !== b && !(b in LAYERS)) found.push(name(e));
    else if (a !== b && LAYERS[b] >= LAYERS[a]) found.push(name(e));
    else if (INTERFACE_ONLY.test(e.from) && CONCRETE.test(e.to)) found.push(name(e));
  }
  return [...new Set(found)].sort();
}

describe('import graph', () => {
  it('import graph - reads the sources (a sanity check on the reader itself)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === 'bin/mud.ts' && !e.typeOnly)).toBe(true);
    expect(edges.some((e) => e.typeOnly)).toBe(true);
    expect(files.filter((f) => !(top(f) in LAYERS))).toEqual([]);
  });

  it('import graph - no runtime import cycle', () => {
    expect(runtimeCycles(edges).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('import graph - every import follows the layering, apart from the named breaks', () => {
    const found = breaks();
    expect(found.filter((b) => !KNOWN_BREAKS.includes(b)), 'new layering breaks').toEqual([]);
    expect(KNOWN_BREAKS.filter((b) => !found.includes(b)), 'breaks that are gone: remove them from KNOWN_BREAKS').toEqual([]);
  });

  it('import graph - the checker catches a cycle and an upward import', () => {
    const cyclic: ImportEdge[] = [
      { from: 'world/a.ts', to: 'world/b.ts', typeOnly: false },
      { from: 'world/b.ts', to: 'world/a.ts', typeOnly: false },
      { from: 'world/b.ts', to: 'world/c.ts', typeOnly: true },
      { from: 'world/c.ts', to: 'world/b.ts', typeOnly: false },
    ];
    expect(runtimeCycles(cyclic)).toEqual([['world/a.ts', 'world/b.ts', 'world/a.ts']]);
  });
});
