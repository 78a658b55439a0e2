import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEdges, runtimeCycles, sourceFiles, type ImportEdge } from './helpers/import-graph.js';

// The layering that docs/ARCHITECTURE.md states, checked rather than remembered. A layer imports
// its own folder and the layers below it, never above or beside: bin -> net, tui -> dispatch ->
// cluster -> world; bench may use every layer (never test/); world imports nothing of ours.
const ROOT = join(import.meta.dirname, '..');
const LAYERS: Record<string, number> = { world: 0, cluster: 1, dispatch: 2, net: 3, tui: 3, bin: 4, bench: 5 };
/** Concrete transports: the dispatch and session layers see the lattice and store interfaces only. */
const CONCRETE_TRANSPORT = /^cluster\/(nats-|worker-|node-worker|local-nodes|port-rpc)/;
const TRANSPORT_FREE = /^(dispatch|net|tui)\//;

/** Breaks still to cut (issue 27's seams), each named so it cannot grow unseen. The test fails
 *  when one of them is gone too, so the list only shrinks. */
const KNOWN_BREAKS = [
  'dispatch/cluster-switch.ts -> cluster/nats-switch-peers.ts',
  'dispatch/cluster-timers.ts -> cluster/nats-connection.ts',
  'dispatch/cluster-timers.ts -> cluster/nats-wire.ts',
  'bench/clients.ts -> test/helpers/raw-telnet.ts',
];

const files = sourceFiles(ROOT, Object.keys(LAYERS));
const edges = importEdges(ROOT, files);
const name = (e: ImportEdge): string => `${e.from} -> ${e.to}`;
const top = (path: string): string => path.split('/')[0];

function breaks(): string[] {
  const found: string[] = [];
  for (const e of edges) {
    const [a, b] = [top(e.from), top(e.to)];
    if (b === 'test') found.push(name(e));
    else if (a !== b && !(b in LAYERS)) found.push(name(e));
    else if (a !== b && LAYERS[b] >= LAYERS[a]) found.push(name(e));
    else if (TRANSPORT_FREE.test(e.from) && CONCRETE_TRANSPORT.test(e.to)) found.push(name(e));
  }
  return [...new Set(found)].sort();
}

describe('import graph', () => {
  it('import graph - reads the sources (a sanity check on the reader itself)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === 'bin/mud.ts' && !e.typeOnly)).toBe(true);
    expect(edges.some((e) => e.typeOnly)).toBe(true);
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
