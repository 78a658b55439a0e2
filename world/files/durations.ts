import { isScalar } from 'yaml';
import type { Field, YamlReader } from './world-schema.js';

// Durations as builders write them: `90` (seconds, as the older keys take
// them), `90s`, `5m`, `1h30m`, `2d`, `500ms`; and `never` where a thing may
// stay gone for good.

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3_600, d: 86_400 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

export const NEVER = 'never';

/** Seconds in `text` ("1h30m" -> 5400), or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!DURATION.test(t)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of t.matchAll(PART)) seconds += Number(n) * UNIT_SECONDS[unit];
  return seconds;
}

/** "300" -> "5m", for messages and docs: the largest unit that divides it. */
export function formatDuration(seconds: number): string {
  if (!(seconds > 0)) return `${seconds}s`;
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = seconds / UNIT_SECONDS[unit];
    if (Number.isInteger(n) && n > 0) return `${n}${unit}`;
  }
  return `${Math.round(seconds * 1000)}ms`;
}

/** A duration field: seconds between `min` and `max`, or false for `never` when `never` is allowed. */
export function readDuration(r: YamlReader, f: Field, min: number, max: number, allowNever: boolean): number | false | undefined {
  const value = isScalar(f.node) ? f.node.value : undefined;
  const seconds = typeof value === 'number' ? value : typeof value === 'string' ? parseDuration(value) : undefined;
  if (allowNever && value === NEVER) return false;
  if (seconds === undefined || !Number.isFinite(seconds)) {
    const examples = `a number of seconds or a duration such as 90s, 5m, 1h${allowNever ? ", or 'never'" : ''}`;
    return r.fail(f, `${f.path} must be ${examples}, got ${value === undefined || value === null ? 'nothing' : `'${String(value)}'`}`);
  }
  if (seconds < min || seconds > max) {
    return r.fail(f, `${f.path} must be between ${formatDuration(min)} and ${formatDuration(max)}, got ${formatDuration(seconds)}`);
  }
  return seconds;
}
