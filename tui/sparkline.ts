const TICKS = ' ▁▂▃▄▅▆▇█';

/** The last samples squeezed into `width` characters (each the mean of its
 *  group, newest on the right), scaled against `max` so rows side by side
 *  compare: a node doing half the turns of another draws half as tall. */
export function sparkline(samples: number[], width: number, max: number): string {
  if (width <= 0) return '';
  // At least two samples per character: a node reports once a second, frames come twice.
  const group = Math.max(2, Math.ceil(samples.length / width));
  const out: string[] = [];
  for (let end = samples.length; end > 0 && out.length < width; end -= group) {
    const slice = samples.slice(Math.max(0, end - group), end);
    const mean = slice.reduce((a, b) => a + b, 0) / slice.length;
    out.unshift(tick(mean, max));
  }
  return out.join('').padStart(width, ' ');
}

function tick(value: number, max: number): string {
  if (!(max > 0) || !(value > 0)) return ' ';
  // Anything above zero shows at least the lowest tick, so "a little" differs from "idle".
  const level = Math.max(1, Math.min(TICKS.length - 1, Math.round((value / max) * (TICKS.length - 1))));
  return TICKS[level];
}
