import type { StoreSpec } from './store-spec.js';
import { NatsKvStore } from './nats-kv-store.js';

/** `--store nats`: a JetStream KV bucket that every gateway and node opens itself. */
export const NATS_KV_STORE: StoreSpec = {
  name: 'nats-kv',
  serveHelp: 'JetStream KV, needs --nats',
  restoreHelp: 'the NATS KV bucket (--nats)',
  lives: 'JetStream KV',
  caps: { durable: true, shared: true, watch: true, snapshot: true, needsNats: true },
  open: async (c) => {
    if (!c.link) throw new Error('the NATS KV store needs a NATS connection');
    const bucket = c.bucket ?? 'mud';
    const store = await NatsKvStore.open(c.link, { bucket, replicas: c.replicas, log: c.log, ownsLink: c.ownsLink });
    c.log?.info('store opened', { kind: store.name, bucket, replicas: store.replicas, url: c.link.url });
    return store;
  },
  where: (c) => `KV bucket ${c.bucket ?? 'mud'}`,
  choice: (c) => ({ kind: 'nats', bucket: c.bucket ?? 'mud' }),
  openOnNode: (link, choice) => NatsKvStore.open(link, { bucket: String(choice.bucket) }),
  describe: (choice) => `NATS KV bucket ${String(choice.bucket)}`,
};
