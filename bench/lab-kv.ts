// The KV bucket as one nats-server of the lab sees it, run inside a lab namespace:
//   node dist/bench/lab-kv.js leader URL   which server leads the bucket's stream (and its followers)
//   node dist/bench/lab-kv.js write URL    one write of a probe key, within 2 s
// URL is that one server only (the client follows no other), so each side of a partition can be asked
// on its own. Prints one JSON line; a refusal or a timeout is an answer ({ ok: false, error }), not a failure.
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { kvReplication } from './nats-trio.js';

const [what, url] = process.argv.slice(2);
const WAIT_MS = 2_000;
const nc = await connect({ servers: [url], ignoreClusterUpdates: true, maxReconnectAttempts: 0, timeout: WAIT_MS });
const started = performance.now();
try {
  if (what === 'leader') {
    const r = await kvReplication(nc, 'mud');
    process.stdout.write(`${JSON.stringify({ ok: true, ...r })}\n`);
  } else if (what === 'write') {
    const kv = await new Kvm(nc).open('mud', { timeout: WAIT_MS });
    const revision = await kv.put('probe.lab', JSON.stringify({ at: Date.now() }), { timeout: WAIT_MS });
    process.stdout.write(`${JSON.stringify({ ok: true, revision, ms: Math.round(performance.now() - started) })}\n`);
  } else {
    throw new Error(`lab-kv: "${what}" is neither leader nor write`);
  }
} catch (err) {
  if (/neither leader nor write/.test((err as Error).message)) throw err;
  process.stdout.write(`${JSON.stringify({ ok: false, error: (err as Error).message, ms: Math.round(performance.now() - started) })}\n`);
} finally {
  await nc.close();
}
