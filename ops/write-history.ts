import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Ref } from '../world/core/types.js';
import type { StateStore } from '../store/state-store.js';
import { recordWrites, type StoreWrite } from '../store/write-recorder.js';

/** Where a process appends its writes of object records when the history is asked for (the network lab sets it). */
export const HISTORY_ENV = 'MUD_WRITE_HISTORY';

/** One write of an object record (a turn's, or several turns' folded into one), as the history keeps it:
 *  what ops/history-check.ts needs and no more. */
export interface HistoryWrite {
  key: Ref;
  /** The revision it was written on (a compare-and-swap's expected); null: written whatever the revision. */
  prev: number | null;
  /** The revision it took effect at; null: its outcome is unknown (the call failed, it may have landed). */
  rev: number | null;
  /** Who wrote it: the node (an actor's home, a function's runner) or gateway, by id. */
  home: string;
  /** The mode-table epoch the writer acted on; null when it keeps none (a gateway). */
  epoch: number | null;
  /** The items the object holds after it: contents, inventory, a trade's set-aside things. */
  holds: Ref[];
  /** The message ids in its dedupe window after it (world/core/turn.ts `recent`): those new to the window were applied by it. */
  applied: string[];
}

const OBJECT_PREFIXES = ['room/', 'item/', 'player/'];

interface RecordShape {
  state?: { contents?: unknown; inventory?: unknown; trade?: { mine?: { items?: unknown } } | null };
  recent?: unknown;
}

const refs = (v: unknown): Ref[] => (Array.isArray(v) ? v.filter((x): x is Ref => typeof x === 'string') : []);

/** A store write as a history entry: undefined for keys that are no object's record (accounts, sessions, the mode table). */
export function historyEntry(w: StoreWrite, home: string, epoch: number | null): HistoryWrite | undefined {
  if (!OBJECT_PREFIXES.some((p) => w.key.startsWith(p))) return undefined;
  const r = (w.value ?? {}) as RecordShape;
  const holds = [...refs(r.state?.contents), ...refs(r.state?.inventory), ...refs(r.state?.trade?.mine?.items)];
  const applied = Array.isArray(r.recent) ? r.recent.map((e) => (Array.isArray(e) ? String(e[0]) : '')).filter(Boolean) : [];
  return { key: w.key, prev: w.expected, rev: w.outcome === 'ok' ? w.revision ?? null : null, home, epoch, holds, applied };
}

/** `store`, recording its writes of object records to the file named by $MUD_WRITE_HISTORY (one JSON line
 *  each, appended synchronously once the store has answered, so the line is there before anything the
 *  write released); `store` untouched when the variable is not set. */
export function recordHistoryFromEnv(store: StateStore, home: string, epoch: () => number | null): StateStore {
  const file = process.env[HISTORY_ENV];
  if (!file) return store;
  const fd = openSync(file, 'a');
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    closeSync(fd);
  };
  return recordWrites(store, (w) => {
    const entry = historyEntry(w, home, epoch());
    if (entry) writeSync(fd, `${JSON.stringify(entry)}\n`);
  });
}

/** The entries of history files (JSON lines; a last line cut short by a writer still running is left out). */
export function readHistory(files: string[]): HistoryWrite[] {
  const writes: HistoryWrite[] = [];
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        writes.push(JSON.parse(line) as HistoryWrite);
      } catch {
        // a line still being written
      }
    }
  }
  return writes;
}
