import type { KV, KvEntry } from '@nats-io/kv';
import { decodeKey } from './kv-keys.js';
import type { StoreSnapshot } from './store-snapshot.js';

const READS_AT_ONCE = 64;
const ATTEMPTS = 5;
const CATCH_UP_MS = 30_000;

/** A consistent cut of a JetStream KV bucket while it is being written. A bucket keeps one
 *  value per key (history 1), so a plain scan mixes keys read before and after later writes.
 *  Every write is one message of the bucket's stream, numbered in one order (the revision):
 *  1. watch every new write (an ordered consumer), then read the stream's last sequence S0;
 *  2. scan every key and value (a fuzzy copy: each read somewhere after S0);
 *  3. read the last sequence S1, and take from the watch every write up to S1.
 *  Each key's value at S1 is its newest revision up to S1 among the scan and the writes watched.
 *  That holds only if the watch saw every sequence in (S0, S1]: one overwritten before it was
 *  delivered leaves a gap, and the whole cut is taken again (up to ATTEMPTS times). */
export async function kvSnapshot(kv: KV, bucket: string): Promise<StoreSnapshot> {
  for (let attempt = 1; ; attempt++) {
    const cut = await attemptCut(kv);
    if (cut) return { entries: cut.entries, cut: `nats-kv:${bucket}@${cut.sequence}` };
    if (attempt >= ATTEMPTS) throw new Error(`no consistent cut of KV bucket ${bucket} after ${ATTEMPTS} attempts: writes outran the watch (try again when it is less busy)`);
  }
}

async function lastSequence(kv: KV): Promise<number> {
  return (await kv.status()).streamInfo.state.last_seq;
}

async function attemptCut(kv: KV): Promise<{ entries: StoreSnapshot['entries']; sequence: number } | undefined> {
  const watched = new Map<number, KvEntry>();
  let highest = 0;
  let wake: (() => void) | undefined;
  const watch = await kv.watch({ key: '>', include: 'updates' });
  const pump = (async () => {
    for await (const e of watch) {
      watched.set(e.revision, e);
      highest = Math.max(highest, e.revision);
      wake?.();
    }
  })();
  try {
    const s0 = await lastSequence(kv);
    const newest = new Map<string, { revision: number; json: string | undefined }>();
    const keys: string[] = [];
    for await (const k of await kv.keys('>')) keys.push(k);
    for (let i = 0; i < keys.length; i += READS_AT_ONCE) {
      const batch = await Promise.all(keys.slice(i, i + READS_AT_ONCE).map((k) => kv.get(k)));
      for (const e of batch) if (e) newest.set(e.key, { revision: e.revision, json: jsonOf(e) });
    }
    const s1 = await lastSequence(kv);
    const deadline = Date.now() + CATCH_UP_MS;
    while (highest < s1 && s1 > s0) {
      if (Date.now() > deadline) throw new Error(`the KV watch did not reach sequence ${s1} within ${CATCH_UP_MS / 1000} s`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 100);
      });
    }
    for (let seq = s0 + 1; seq <= s1; seq++) {
      const e = watched.get(seq);
      if (!e) return undefined; // overwritten before the watch saw it: this cut cannot be known
      const had = newest.get(e.key);
      if (!had || had.revision < e.revision) newest.set(e.key, { revision: e.revision, json: jsonOf(e) });
    }
    const entries = [...newest].filter(([, v]) => v.json !== undefined).map(([k, v]) => ({ key: decodeKey(k), json: v.json! }));
    return { entries, sequence: s1 };
  } finally {
    watch.stop();
    await pump.catch(() => undefined);
  }
}

function jsonOf(e: KvEntry): string | undefined {
  return e.operation === 'PUT' ? e.string() : undefined;
}
