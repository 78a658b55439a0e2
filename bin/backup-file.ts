import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Json } from '../world/core/types.js';

// A backup is NDJSON: a header line, then one line per store key, `{"k":key,"v":value}`.
// Text, so it diffs and greps; one key per line, so a million objects stream both ways.

export const BACKUP_FORMAT = 'lattice-mud-backup';
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  /** Where the snapshot was cut (store/store-snapshot.ts). */
  cut: string;
  taken: string;
  /** The store it came from: `file` or `nats-kv`. */
  store: string;
  world: string;
  /** The mode table when it was taken (with several gateways it is also the `cluster/modes` key). */
  modes: string;
  keys: number;
}

export interface BackupEntry {
  key: string;
  value: Json;
}

export function headerLine(h: BackupHeader): string {
  return `${JSON.stringify(h)}\n`;
}

/** A key's line from its value's JSON text, as the store holds it (no parse, no re-serialising). */
export function entryLine(e: { key: string; json: string }): string {
  return `{"k":${JSON.stringify(e.key)},"v":${e.json}}\n`;
}

/** Reads and checks a whole backup file; throws `FILE:LINE: what is wrong` and nothing was changed. */
export async function readBackup(file: string): Promise<{ header: BackupHeader; entries: BackupEntry[] }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let header: BackupHeader | undefined;
  const entries: BackupEntry[] = [];
  const seen = new Set<string>();
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      const at = `${file}:${n}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`${at}: not a JSON line${n === 1 ? ' (is this a lattice-mud backup?)' : ''}`);
      }
      if (!header) {
        header = checkHeader(parsed, at);
        continue;
      }
      const e = parsed as { k?: unknown; v?: unknown };
      if (typeof e !== 'object' || e === null || typeof e.k !== 'string' || !e.k || !('v' in e)) throw new Error(`${at}: expected {"k": key, "v": value}`);
      if (seen.has(e.k)) throw new Error(`${at}: key ${e.k} appears twice`);
      seen.add(e.k);
      entries.push({ key: e.k, value: e.v as Json });
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`no such backup file: ${file}`);
    throw err;
  }
  if (!header) throw new Error(`${file}: empty, not a backup`);
  if (entries.length !== header.keys) throw new Error(`${file}: truncated: the header promises ${header.keys} keys, the file holds ${entries.length}`);
  return { header, entries };
}

function checkHeader(parsed: unknown, at: string): BackupHeader {
  const h = parsed as Partial<BackupHeader>;
  if (typeof h !== 'object' || h === null || h.format !== BACKUP_FORMAT) throw new Error(`${at}: not a lattice-mud backup (no "format": "${BACKUP_FORMAT}" header)`);
  if (h.version !== BACKUP_VERSION) throw new Error(`${at}: backup version ${String(h.version)}; this mud reads version ${BACKUP_VERSION}`);
  if (typeof h.keys !== 'number' || !Number.isInteger(h.keys) || h.keys < 0) throw new Error(`${at}: the header's "keys" is not a count`);
  return h as BackupHeader;
}
