// With `--store file` and NATS, the store stays in the gateway's process and
// nodes reach it over request/reply on `mud.store`: what `RemoteStore` does over
// MessagePorts for embedded nodes, carried by NATS instead.
import type { Subscription } from '@nats-io/transport-node';
import type { Json } from '../world/core/types.js';
import type { CasResult, StateStore } from './state-store.js';
import { RemoteStore, serveStoreOp, type StoreOp } from './remote-store.js';
import type { NatsLink } from '../nats/nats-connection.js';
import { answer, decode, encode, SUBJECTS, unwrap } from '../nats/nats-wire.js';

const STORE_TIMEOUT_MS = 10_000;

/** The gateway's side: answers nodes' gets and CAS writes against its store. */
export function serveStoreOverNats(link: NatsLink, store: StateStore): Subscription {
  return link.connection.subscribe(SUBJECTS.store, {
    callback: (err, msg) => {
      if (err) return;
      void answer(msg, () => serveStoreOp(store, checkOp(decode<unknown>(msg.data))));
    },
  });
}

/** A node's side: the gateway's store, one NATS request per operation. A request
 *  cut by an outage is sent again once NATS is back. */
export function natsRemoteStore(link: NatsLink): RemoteStore {
  return new RemoteStore(async (op: StoreOp) => {
    let attempts = 0;
    const result = await link.survive(async () => {
      attempts++;
      return unwrap<unknown>(await link.connection.request(SUBJECTS.store, encode(op), { timeout: STORE_TIMEOUT_MS }), 'the gateway store');
    });
    return op.op === 'cas' && attempts > 1 ? ownWrite(result as CasResult, op.value) : result;
  });
}

/** A CAS sent twice may have landed the first time: then its "conflict" is our own value. */
function ownWrite(result: CasResult, value: Json): CasResult {
  if (result.ok || !result.current || JSON.stringify(result.current.value) !== JSON.stringify(value)) return result;
  return { ok: true, revision: result.current.revision };
}

/** Store operations come from other processes: check their shape before use. */
function checkOp(raw: unknown): StoreOp {
  const op = raw as Partial<StoreOp> | null;
  if (!op || op.t !== 'store' || typeof op.key !== 'string' || op.key === '') throw new Error('malformed store operation');
  if (op.op === 'get') return { t: 'store', op: 'get', key: op.key };
  if (op.op === 'cas' && typeof op.expected === 'number' && 'value' in op) return { t: 'store', op: 'cas', key: op.key, value: op.value as Json, expected: op.expected };
  throw new Error(`unknown store operation ${String(op.op)}`);
}
