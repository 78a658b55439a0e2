// One session per player, and the world agrees, read from the cluster: run inside a lab
// namespace (`node dist/bench/lab-sessions.js NATS_URLS GW1,GW2`). Asks each gateway who it
// serves (`mud.gw.<id>.who`) and reads the session keys and player records. Prints one JSON
// line: how many sessions, and each disagreement (a player served by a gateway its key does
// not name, or out of the world while served; a key no gateway serves; a player served twice).
import { NatsLink } from '../nats/nats-connection.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { silentLogger } from '../support/logger.js';
import { GATEWAY_SUBJECTS } from '../cluster/gateway-membership.js';
import { encode, unwrap } from '../nats/nats-wire.js';
import { SESSION_PREFIX, type SessionKey } from '../portal/cluster-sessions.js';

const [urls, ids] = process.argv.slice(2);
const link = await NatsLink.connect(urls, { name: 'lab-sessions', log: silentLogger() });
try {
  const store = await NatsKvStore.open(link, { bucket: 'mud' });
  const servedBy = new Map<string, string[]>();
  for (const id of ids.split(',')) {
    const reply = await link.connection.request(GATEWAY_SUBJECTS.own(id, 'who'), encode({}), { timeout: 5_000 });
    for (const row of unwrap<Array<{ player: string }>>(reply, id)) servedBy.set(row.player, [...(servedBy.get(row.player) ?? []), id]);
  }
  const wrong: string[] = [];
  for (const [player, gateways] of servedBy) {
    if (gateways.length > 1) wrong.push(`${player} is served by ${gateways.join(' and ')}`);
    const key = (await store.get(`${SESSION_PREFIX}${player.slice('player/'.length)}`))?.value as SessionKey | undefined;
    if (!key) wrong.push(`${player} is served by ${gateways[0]} with no session key`);
    else if (key.gateway !== gateways[0] || key.reaping) wrong.push(`${player} is served by ${gateways[0]}, its key says ${JSON.stringify(key)}`);
    const record = (await store.get(player))?.value as { state?: { online?: boolean } } | undefined;
    if (record?.state?.online !== true) wrong.push(`${player} is served by ${gateways[0]} but is out of the world (online=${record?.state?.online})`);
  }
  for (const e of await store.scan(SESSION_PREFIX)) {
    const player = `player/${e.key.slice(SESSION_PREFIX.length)}`;
    if (!servedBy.has(player)) wrong.push(`${player} has a key naming ${(e.value as unknown as SessionKey).gateway} but no gateway serves it`);
  }
  process.stdout.write(`${JSON.stringify({ sessions: servedBy.size, wrong })}\n`);
} finally {
  await link.close();
}
