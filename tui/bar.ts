/** A horizontal bar for a 0..1 share (event-loop utilisation): `██████░░░░`. */
export function bar(fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Green while there is room, yellow when busy, red when saturated. */
export function loadColor(fraction: number): 'green' | 'yellow' | 'red' {
  return fraction >= 0.85 ? 'red' : fraction >= 0.5 ? 'yellow' : 'green';
}
