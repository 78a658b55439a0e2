import { resolve } from 'node:path';
import type { StoreSpec } from './store-spec.js';
import { FileStore } from './file-store.js';
import { natsRemoteStore } from './nats-store-service.js';

/** `--store file`: snapshot and journal in the gateway's data dir; its nodes reach it through the gateway. */
export const FILE_STORE: StoreSpec = {
  name: 'file',
  serveHelp: 'in --data-dir, served to NATS nodes by this gateway',
  restoreHelp: 'a file store (--data-dir)',
  lives: 'the data dir',
  caps: { durable: true, shared: false, watch: false, snapshot: true, needsNats: false },
  open: async (c) => {
    const store = await FileStore.open(c.dataDir);
    c.log?.info('store opened', { kind: store.name, dir: c.dataDir, ...store.recoveryInfo });
    return store;
  },
  where: (c) => resolve(c.dataDir),
  choice: () => ({ kind: 'file' }),
  openOnNode: async (link) => natsRemoteStore(link),
  describe: () => 'its file store',
};
