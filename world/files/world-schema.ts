import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { WorldError } from './world-def.js';

// A small typed validator over yaml's nodes. Every value keeps the node it came
// from, so each error can point at the exact file:line:column to fix. It reports
// and carries on (returning undefined), so one pass collects every problem.

/** Where something is in a world file. */
export interface Spot {
  file: string;
  line: number;
  column: number;
}

/** A value in a file: its node (null for an empty `key:`), where it is, and a
 *  readable path for messages (`rooms.plaza.exits.north`). */
export interface Field {
  node: Node | null;
  spot: Spot;
  path: string;
  /** The key this value belongs to: where "missing key" errors point. */
  keySpot?: Spot;
}

/** A value already reported as wrong: callers stay quiet about it. */
const REPORTED = Symbol('reported');

export const ID_PATTERN = /^[a-z0-9_]+$/;

export class YamlReader {
  constructor(
    readonly file: string,
    /** The file's text, for what nodes do not say (a block scalar's indentation). */
    readonly text: string,
    private readonly lines: LineCounter,
    private readonly errors: WorldError[],
  ) {}

  spotAt(offset: number | undefined): Spot {
    if (offset === undefined) return { file: this.file, line: 1, column: 1 };
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** A field for `node`; an empty value is placed at `fallback` (its key). */
  field(node: unknown, path: string, fallback?: Spot): Field {
    const n = (node ?? null) as Node | null;
    const spot = n?.range ? this.spotAt(n.range[0]) : fallback ?? this.spotAt(undefined);
    return { node: n, spot, path };
  }

  fail(where: Field | Spot, message: string): undefined {
    const spot = 'spot' in where ? where.spot : where;
    this.errors.push({ ...spot, message });
    return undefined;
  }

  /** A map's entries with string keys, each value as a field. */
  entries(f: Field): Array<{ key: string; keySpot: Spot; value: Field }> | undefined {
    if (!this.usable(f)) return undefined;
    if (!isMap(f.node)) return this.fail(f, `${f.path || 'the file'} must be a map, got ${describe(f.node)}`);
    const out: Array<{ key: string; keySpot: Spot; value: Field }> = [];
    // By key: a file of 5,000 rooms would otherwise compare each key with every earlier one.
    const seen = new Map<string, Spot>();
    for (const pair of f.node.items) {
      const keySpot = this.field(pair.key, f.path).spot;
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') {
        this.fail(keySpot, `keys in ${f.path || 'the file'} must be plain names`);
        continue;
      }
      const key = pair.key.value;
      const first = seen.get(key);
      if (first) {
        this.fail(keySpot, `duplicate key '${key}' in ${f.path || 'the file'} (first at line ${first.line})`);
        continue;
      }
      seen.set(key, keySpot);
      const value = { ...this.field(pair.value, f.path ? `${f.path}.${key}` : key, keySpot), keySpot };
      out.push({ key, keySpot, value });
    }
    return out;
  }

  /** A map with a fixed vocabulary: unknown keys and missing required ones are errors. */
  fields<K extends string>(f: Field, allowed: readonly K[], required: readonly K[] = []): Partial<Record<K, Field>> | undefined {
    const entries = this.entries(f);
    if (!entries) return undefined;
    const out: Partial<Record<K, Field>> = {};
    for (const { key, keySpot, value } of entries) {
      if ((allowed as readonly string[]).includes(key)) out[key as K] = value;
      else this.fail(keySpot, `unknown key '${key}' in ${f.path || 'the file'} (expected one of: ${allowed.join(', ')})`);
    }
    for (const key of required) if (!out[key]) this.fail(f.keySpot ?? f.spot, `${f.path} is missing required key '${key}'`);
    return out;
  }

  string(f: Field): string | undefined {
    const v = this.scalar(f);
    if (v === REPORTED) return undefined;
    if (typeof v === 'string' && v.trim() !== '') return v;
    return this.fail(f, `${f.path} must be a non-empty string, got ${describe(f.node)}`);
  }

  boolean(f: Field): boolean | undefined {
    const v = this.scalar(f);
    if (v === REPORTED) return undefined;
    return typeof v === 'boolean' ? v : this.fail(f, `${f.path} must be true or false, got ${describe(f.node)}`);
  }

  number(f: Field, min: number, max = Number.MAX_SAFE_INTEGER, integer = false): number | undefined {
    const v = this.scalar(f);
    if (v === REPORTED) return undefined;
    const what = integer ? 'a whole number' : 'a number';
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      return this.fail(f, `${f.path} must be ${what}, got ${describe(f.node)}`);
    }
    if (v < min || v > max) return this.fail(f, `${f.path} must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  list(f: Field): Field[] | undefined {
    if (!this.usable(f)) return undefined;
    if (!isSeq(f.node)) return this.fail(f, `${f.path} must be a list, got ${describe(f.node)}`);
    return f.node.items.map((item, i) => this.field(item, `${f.path}[${i}]`, f.spot));
  }

  /** An id as builders write it: lowercase letters, digits, underscores. */
  id(f: Field, pattern = ID_PATTERN): string | undefined {
    const v = this.string(f);
    if (v === undefined) return undefined;
    return pattern.test(v) ? v : this.fail(f, `invalid id '${v}' at ${f.path} (use lowercase letters, digits and _)`);
  }

  private scalar(f: Field): unknown {
    if (!this.usable(f)) return REPORTED;
    return isScalar(f.node) ? f.node.value : undefined;
  }

  /** Aliases would make one node mean two places: world files do without them. */
  private usable(f: Field): boolean {
    if (isAlias(f.node)) {
      this.fail(f, `${f.path}: YAML aliases (*name) are not supported in world files`);
      return false;
    }
    return true;
  }
}

function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'nothing';
    if (typeof v === 'string') return v.trim() === '' ? 'an empty string' : 'a string';
    return `${typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : 'a value'} (${String(v)})`;
  }
  return 'something else';
}
