import type { StoreContext, StoreSpec } from './store-spec.js';
import { NatsKvStore } from './nats-kv-store.js';
import { HEARTBEAT_EVERY_MS, HEARTBEAT_TIMEOUT_MS } from '../nats/nats-wire.js';

/** How long a node's store operation may wait out an outage: less than the silence after which gateways count
 *  a node gone, less the beat it may have missed before the outage began. */
export const NODE_WAIT_OUT_MS = HEARTBEAT_TIMEOUT_MS - HEARTBEAT_EVERY_MS;

/** JetStream keeps 1, 3 or 5 copies of a stream (an odd count, so a majority is defined; 5 at most). */
export function kvReplicas(value: string): number {
  const n = Number(value);
  if (n !== 1 && n !== 3 && n !== 5) throw new Error(`"${value}" is not a replica count JetStream takes (1, 3 or 5)`);
  return n;
}

const bucketOf = (c: StoreContext): string => (c.flags?.bucket as string | undefined) ?? 'mud';

/** `--store nats`: a JetStream KV bucket that every gateway and node opens itself. */
export const NATS_KV_STORE: StoreSpec = {
  name: 'nats-kv',
  serveHelp: 'JetStream KV, needs --nats',
  restoreHelp: 'the NATS KV bucket (--nats)',
  lives: 'JetStream KV',
  caps: { durable: true, shared: true, watch: true, snapshot: true, needsNats: true },
  flags: [
    { flags: '--kv-replicas <n>', key: 'kvReplicas', help: 'copies JetStream keeps of the KV bucket when it is created (1, 3 or 5; 3 for a 3-server cluster)', commands: ['serve'], parse: kvReplicas },
    { flags: '--bucket <name>', key: 'bucket', help: 'the KV bucket', commands: ['restore'], default: 'mud' },
  ],
  open: async (c) => {
    if (!c.link) throw new Error('the NATS KV store needs a NATS connection');
    const bucket = bucketOf(c);
    const store = await NatsKvStore.open(c.link, { bucket, replicas: c.flags?.kvReplicas as number | undefined, log: c.log, ownsLink: c.ownsLink });
    c.log?.info('store opened', { kind: store.name, bucket, replicas: store.replicas, url: c.link.url });
    return store;
  },
  where: (c) => `KV bucket ${bucketOf(c)}`,
  choice: (c) => ({ kind: 'nats', bucket: bucketOf(c) }),
  // A node's turn must not wait out a cut and run after it: by then its gateways have counted the node gone
  // and delivered the message elsewhere (docs/architecture/partitions.md). It fails, and the gateway retries.
  openOnNode: (link, choice) => NatsKvStore.open(link, { bucket: String(choice.bucket), waitOutMs: NODE_WAIT_OUT_MS }),
  describe: (choice) => `NATS KV bucket ${String(choice.bucket)}`,
};
