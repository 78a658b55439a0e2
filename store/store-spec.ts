import type { StateStore } from './state-store.js';
import type { NatsLink } from '../nats/nats-connection.js';
import type { StoreChoice } from '../nats/nats-wire.js';
import type { Logger } from '../support/logger.js';

/** What a store backend can do, declared once: the rest of the server reads these
 *  rather than testing which class it holds (test/state-store.contract.test.ts checks
 *  that each backend has the methods it declares). */
export interface StoreCapabilities {
  /** A write that resolved survives the process and a crash: `mud restore` writes only into these. */
  durable: boolean;
  /** Every process opens it itself: nodes over NATS, and several gateways (one cluster, one state).
   *  One that is not lives in one gateway, which serves it to its nodes; no second gateway may join. */
  shared: boolean;
  /** `watch(key, listener)`: tells each new value of a key as it is written (the cluster's mode table). */
  watch: boolean;
  /** `snapshot()`: a consistent cut while writers go on (`mud backup`). */
  snapshot: boolean;
  /** It lives in NATS: `mud serve` and `mud restore` need `--nats`. */
  needsNats: boolean;
}

/** What a store is opened from: the server's data dir, its NATS connection and the bucket. */
export interface StoreContext {
  /** The gateway's data dir (`--data-dir`). */
  dataDir: string;
  /** The NATS connection (`--nats`): set whenever there is one, and always for a store that `needsNats`. */
  link?: NatsLink;
  /** The store closes `link` when it closes (a connection made for it alone). */
  ownsLink?: boolean;
  /** The values of the backend's own flags (`StoreSpec.flags`), by their keys; absent: not given. */
  flags?: Readonly<Record<string, unknown>>;
  /** Told `store opened` with what the store found; absent: it opens quietly. */
  log?: Logger;
}

/** A flag of a backend's own (`--kv-replicas`): the commands named add it, say in its help that it goes
 *  with `--store <kind>`, refuse it with another store, and hand its value to the backend's `open` in
 *  `StoreContext.flags`. A new backend's flags are declared in its own spec, nowhere else. */
export interface StoreFlag {
  /** As the command line takes it: `--kv-replicas <n>`. */
  flags: string;
  /** The value's key (the flag's name in camel case, as commander names it: `kvReplicas`). */
  key: string;
  /** What it does, for help texts and refusals: "copies JetStream keeps of the KV bucket ...". */
  help: string;
  /** The commands that take it. */
  commands: ReadonlyArray<'serve' | 'restore'>;
  /** Its value from the text given, or an Error with one clear line. */
  parse?(value: string): unknown;
  default?: string | number;
}

/** One store backend as the rest of the server sees it: its words in help texts, what it can
 *  do, and how a gateway and a node open it. The registry (store/registry.ts) lists every
 *  backend by its `--store` word; choices, help, checks and status derive from it. */
export interface StoreSpec {
  /** `StateStore.name` of what it opens (logs, backup headers, `specOfStore`). */
  name: string;
  /** `mud serve --store`: "file (<this>)". */
  serveHelp: string;
  /** `mud restore --store`: "restore into <this>". */
  restoreHelp: string;
  /** Where the state lives, in a few words, for a store that `needsNats`: "keeps state in NATS <this>". */
  lives: string;
  caps: StoreCapabilities;
  /** Its own flags, if any. */
  flags?: readonly StoreFlag[];
  /** On a gateway (and for `mud restore`): the store, opened or created. */
  open(ctx: StoreContext): Promise<StateStore>;
  /** Where `open(ctx)` keeps the state, for an operator: a directory, a bucket. */
  where(ctx: StoreContext): string;
  /** What a gateway tells the nodes that join it over NATS. */
  choice(ctx: StoreContext): StoreChoice;
  /** On a node joined over NATS: the store its gateway named in `choice`. */
  openOnNode(link: NatsLink, choice: StoreChoice): Promise<StateStore>;
  /** The gateway's store as a node says it: "its file store", "NATS KV bucket mud". */
  describe(choice: StoreChoice): string;
}
