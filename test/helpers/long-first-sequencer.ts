import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, started first. Without a cache of past durations (a fresh clone,
 * as in CI) vitest runs the larger files first, and the longest one (the bench smoke, about a third
 * of all test time on 2 cores, in a short file) started late and ran alone at the end: the suite
 * took minutes longer than the two workers' share of the work. With a cache, vitest's own order
 * (longest first) already does this.
 */
const LONGEST = ['bench-smoke', 'cluster-switch', 'nats-trio', 'nats-cluster'];

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((name) => f.moduleId.endsWith(`/${name}.test.ts`));
      return i === -1 ? LONGEST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}
