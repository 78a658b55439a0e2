/** A latency histogram with log-linear buckets (HdrHistogram-style: ~3% relative
 *  precision from 1 µs to ~70 s) in a fixed Uint32Array: recording allocates
 *  nothing, merging is adding arrays, and it crosses threads as plain numbers. */
const LINEAR = 64; // values below this are counted exactly
const SUB = 32; // buckets per power of two above it
const MAGNITUDES = 31;
export const HISTOGRAM_SIZE = LINEAR + MAGNITUDES * SUB;

export class Histogram {
  readonly counts: Uint32Array;
  total = 0;
  max = 0;

  constructor(counts?: ArrayLike<number>) {
    this.counts = new Uint32Array(HISTOGRAM_SIZE);
    if (counts) this.merge(counts);
  }

  /** Records a value in microseconds. */
  record(micros: number): void {
    const v = Math.max(1, Math.round(micros));
    this.counts[bucketOf(v)] += 1;
    this.total += 1;
    if (v > this.max) this.max = v;
  }

  recordMs(ms: number): void {
    this.record(ms * 1000);
  }

  merge(counts: ArrayLike<number>, max = 0): void {
    for (let i = 0; i < HISTOGRAM_SIZE; i++) {
      const c = counts[i] ?? 0;
      this.counts[i] += c;
      this.total += c;
    }
    if (max > this.max) this.max = max;
  }

  /** The value (µs) at quantile q (0..1), as the upper edge of its bucket. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < HISTOGRAM_SIZE; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(upperEdge(i), this.max || upperEdge(i));
    }
    return this.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.max = 0;
  }
}

function bucketOf(v: number): number {
  if (v < LINEAR) return v;
  const m = Math.min(MAGNITUDES, Math.floor(Math.log2(v)) - 5);
  const sub = Math.min(SUB - 1, Math.floor(v / 2 ** m) - SUB);
  return LINEAR + (m - 1) * SUB + sub;
}

function upperEdge(bucket: number): number {
  if (bucket < LINEAR) return bucket;
  const m = Math.floor((bucket - LINEAR) / SUB) + 1;
  const sub = (bucket - LINEAR) % SUB;
  return (sub + SUB + 1) * 2 ** m - 1;
}
