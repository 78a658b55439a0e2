import { judge, type CellResult } from './scenario.js';

// Rounds of the same cells (`npm run bench -- --rounds N`): on a machine whose throughput moves between runs (the
// shared 2-core one moved 1.8x between rounds of one build, docs/BENCHMARKS.md), one round's figure, or one round's
// ratio of two cells, says little. The cells run round after round in the order asked, so a pair's ratio
// (x scriptless, x in-proc) is taken within each round, side by side; the summary is each figure's median over the
// rounds, a ratio's median included, and the targets are judged on the medians.

/** Each cell's figures as the median over its rounds (cells that failed left out), its targets judged on them. */
export function medianCells(cells: readonly CellResult[]): CellResult[] {
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) {
    if (c.error) continue;
    const key = `${c.scenario}/${c.mode}`;
    const runs = groups.get(key);
    if (runs) runs.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()].map((runs) => {
    const metrics: Record<string, number> = {};
    for (const name of Object.keys(runs[0].metrics)) {
      const values = runs.map((r) => r.metrics[name]).filter((v) => Number.isFinite(v));
      if (values.length > 0) metrics[name] = median(values);
    }
    const first = runs[0];
    return {
      scenario: first.scenario, mode: first.mode, metrics, targets: judge(first.targets, metrics),
      setup: { ...first.setup, rounds: runs.length }, seconds: runs.reduce((s, r) => s + r.seconds, 0),
    };
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
