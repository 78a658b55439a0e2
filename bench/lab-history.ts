// The history check of a lab run, inside a lab namespace (`node dist/bench/lab-history.js NATS_URLS HISTORY_DIR [WORLD]`):
// reads every object's revision from the cluster's KV bucket, then the writes each gateway and node
// recorded (ops/write-history.ts), and checks them (ops/history-check.ts). A write lands in the bucket a
// moment before its writer records it, and the world's timers may write on, so while the two disagree the
// bucket and the files are read again (for up to 5 s). Prints one JSON line: writes, objects, writes of unknown outcome that
// landed, and the violations (and how many).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NatsLink } from '../nats/nats-connection.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { silentLogger } from '../support/logger.js';
import { readHistory } from '../ops/write-history.js';
import { checkHistory, initialHoldings } from '../ops/history-check.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';

const [urls, dir, worldDir = DEFAULT_WORLD] = process.argv.slice(2);
const link = await NatsLink.connect(urls, { name: 'lab-history', log: silentLogger() });
try {
  const store = await NatsKvStore.open(link, { bucket: 'mud' });
  const world = await loadLiveWorld(worldDir);
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, f));
  const check = async () => {
    const final = new Map<string, number>();
    for (const prefix of ['room/', 'item/', 'player/']) for (const e of await store.scan(prefix)) final.set(e.key, e.revision);
    return checkHistory({ writes: readHistory(files), final, initial: initialHoldings(world.definition), totalOrder: !store.revisionsStepByOne });
  };
  let verdict = await check();
  for (const deadline = Date.now() + 5_000; verdict.violations.length > 0 && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 250));
    verdict = await check();
  }
  process.stdout.write(`${JSON.stringify({ ...verdict, violationCount: verdict.violations.length })}\n`);
} finally {
  await link.close();
}
