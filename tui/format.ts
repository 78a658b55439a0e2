/** Numbers that fit a column: integers from 10 up, one decimal below, k/M past 100,000. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (Math.abs(x) < 0.05) return '0'; // a smoothed rate fading out, not "0.0"
  if (x >= 1e7) return `${(x / 1e6).toFixed(1)}M`;
  if (x >= 1e5) return `${Math.round(x / 1e3)}k`;
  if (x >= 10 || Number.isInteger(x)) return Math.round(x).toString();
  return x.toFixed(1);
}

/** Milliseconds in a column: 0.12, 3.4, 120. */
export function ms(x: number): string {
  if (!Number.isFinite(x) || x <= 0) return '0';
  if (x < 1) return x.toFixed(2);
  if (x < 10) return x.toFixed(1);
  return num(x);
}

export function pct(fraction: number): string {
  return `${Math.round(Math.max(0, fraction) * 100)}%`;
}

/** Cuts to `width` with an ellipsis; pads short text so columns line up. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const t = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return align === 'left' ? t.padEnd(width) : t.padStart(width);
}

export function clock(time: number): string {
  return new Date(time).toTimeString().slice(0, 8);
}
