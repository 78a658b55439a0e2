// Every item exactly once and every coin held, read from the cluster's KV bucket: run inside a lab
// namespace (`node dist/bench/lab-audit.js NATS_URLS [WORLD]`). Prints one JSON line: how many items,
// and what is wrong: each item held by nobody or by more than one holder, and coins made or lost
// (the coin audit of `mud restore` and crash recovery, ops/coin-audit.ts), each marked "(in flight: ...)"
// while a message still on its way would make it right.
import { NatsLink } from '../nats/nats-connection.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { silentLogger } from '../support/logger.js';
import { itemHolders, readRecords, strandedTransfers } from '../ops/item-audit.js';
import { coinErrors, strandedCoins } from '../ops/coin-audit.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';

const link = await NatsLink.connect(process.argv[2], { name: 'lab-audit', log: silentLogger() });
try {
  const store = await NatsKvStore.open(link, { bucket: 'mud' });
  const world = await loadLiveWorld(process.argv[3] ?? DEFAULT_WORLD);
  const records = await readRecords(store);
  const holders = itemHolders(records, world.definition);
  // One held by nobody: the message carrying it, if an object's outbox still has it (ops/item-audit.ts).
  const inFlight = new Map(strandedTransfers(records, world.definition).resend.map((r) => [r.item, ` (in flight: ${r.msg.type} ${r.msg.id} to ${r.to}, not applied)`]));
  const wrong = [...holders].filter(([, where]) => where.length !== 1)
    .map(([item, where]) => `${item} is held by ${where.length ? where.join(', ') : `nobody${inFlight.get(item) ?? ''}`}`);
  // Coins short: the coin messages still on their way that make up the shortfall, if there are such.
  const coinsOnTheirWay = strandedCoins(records, world.definition).resend.map((r) => `${r.msg.coins} to ${r.to}`);
  for (const e of coinErrors(records, world.definition)) wrong.push(`${e}${coinsOnTheirWay.length ? ` (in flight: coins ${coinsOnTheirWay.join(', ')}, not applied)` : ''}`);
  process.stdout.write(`${JSON.stringify({ items: holders.size, wrong })}\n`);
} finally {
  await link.close();
}
