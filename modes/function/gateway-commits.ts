import type { Msg, Ref, TurnConfig } from '../../world/core/types.js';
import type { JsonTextStore, JsonVersioned, StateStore } from '../../store/state-store.js';
import type { BatchResult, ComputeRequest, FunctionReply } from './function-requests.js';
import { ReadCache } from '../../store/read-cache.js';
import { backoff, MAX_ATTEMPTS } from './stateless-turns.js';
import { mergeCasJson } from '../../store/merging-cas.js';

/** Sends one request to one node of this process. */
export type ComputeSend = (node: string, req: ComputeRequest, timeoutMs: number) => Promise<FunctionReply>;

/** How a batch's commit went: `exact` when what the node kept from it is the store's
 *  record (its write committed, or it wrote nothing on a good base); `merged` when its
 *  delta was replayed on a newer record (committed, but the node's copy is not the
 *  store's); `lost` when it did not commit. */
type Commit = 'exact' | 'merged' | 'lost';

/** A batch in flight, as a later batch of the same object may chain on it. */
interface Link {
  node: string;
  tag: number;
  /** How its first attempt's commit went: a batch chained on it commits only on top of it. */
  outcome: Promise<Commit>;
  /** Resolves once its request is on its way: a follower's must go after it on the port. */
  posted: Promise<void>;
}

/** An object's batches in flight. */
interface Chain {
  tail: Link;
  inFlight: number;
  /** The last batch to finish wrote: the next one chains (a read-only object's batches spread instead). */
  writing: boolean;
}

/** Function mode for nodes in this process, whose store is here, on the
 *  gateway's thread: a batch crosses to its node once and back once. The
 *  gateway reads the record (JSON text, never parsed here) and ships it with
 *  the turns; the node runs them and answers with the new record's text; the
 *  gateway commits it with compare-and-swap on the revision the node ran on,
 *  and only then settles the turns, so their effects still leave only after
 *  the state commit (the output gate). On a conflict the batch runs again on
 *  the fresher record; a node that dies before answering has committed nothing.
 *
 *  A node keeps what it was shipped and what it computed, under the request's
 *  tag, so the next batch names it instead of shipping it. While a batch of a
 *  written object is in flight, the next one goes to the same node chained on
 *  it ("run on what my batch T left"): batches of a hot room pipeline without
 *  racing each other, and a follower commits only if the batch it ran after
 *  did (else it runs again on the store's record).
 *
 *  A batch whose turns commute (the node's reply carries their delta,
 *  world/core/record-rebase.ts) is not run again when its commit loses: its
 *  delta is replayed on the record that won and written in its place.
 *
 *  Needs a store that keeps JSON text and steps revisions by one (memory,
 *  file): what a node computed is the next revision if it commits. */
export class GatewayCommits {
  /** Per node, per object: the revision it keeps and the tag it keeps it under
   *  (bounded like the nodes' own caches; a miss only costs shipping the record). */
  private readonly kept = new Map<string, ReadCache<number>>();
  /** Per object, the node that got or made its newest record last. */
  private readonly latest = new ReadCache<string>();
  private readonly chains = new Map<Ref, Chain>();
  private nextTag = 1;

  constructor(private readonly store: StateStore & JsonTextStore, private readonly send: ComputeSend, private readonly nodesKeep: boolean) {}

  /** Where the object's next batch is cheapest: the node its in-flight batches
   *  chain on, else the node that keeps its newest record (nothing to ship). */
  preferred(ref: Ref): { node: string; chained: boolean } | undefined {
    const chain = this.chains.get(ref);
    if (chain?.writing) return { node: chain.tail.node, chained: true };
    const node = this.latest.get(ref)?.value;
    return node === undefined ? undefined : { node, chained: false };
  }

  /** A node left: what it kept is gone with it (`preferred` may still name it: callers pick live nodes). */
  forget(node: string): void {
    this.kept.delete(node);
  }

  /** Runs a batch of one object's turns on `node` and commits it. */
  async run(node: string, ref: Ref, msgs: Msg[], config: TurnConfig, epoch: number, timeoutMs: number): Promise<{ results: BatchResult[]; conflicts: number; wrote: boolean }> {
    let chain = this.chains.get(ref);
    const after = this.nodesKeep && chain?.writing && chain.tail.node === node ? chain.tail : undefined;
    let settle!: (commit: Commit) => void;
    let posted!: () => void;
    const link: Link = { node, tag: this.nextTag++, outcome: new Promise<Commit>((r) => (settle = r)), posted: new Promise<void>((r) => (posted = r)) };
    if (chain) {
      chain.tail = link;
      chain.inFlight += 1;
    } else this.chains.set(ref, (chain = { tail: link, inFlight: 1, writing: true }));
    let wrote = false;
    try {
      if (after) {
        const first = await this.chained(link, posted, after, ref, msgs, config, epoch, timeoutMs);
        settle(first.commit);
        if (first.commit !== 'lost') {
          wrote = first.wrote;
          // A replay lost a race (the contention gate hears of it), though nothing ran again.
          return { results: first.results, conflicts: first.commit === 'merged' ? 1 : 0, wrote };
        }
      }
      // Followers may chain on the first attempt of a batch that is not chained itself.
      const r = await this.fresh(node, ref, msgs, config, epoch, timeoutMs, after ? undefined : { tag: link.tag, settle, posted });
      wrote = r.wrote;
      return { results: r.results, conflicts: r.conflicts + (after ? 1 : 0), wrote };
    } finally {
      settle('lost'); // a failure: batches chained on this one run again
      posted();
      chain.writing = wrote;
      chain.inFlight -= 1;
      if (chain.inFlight === 0 && this.chains.get(ref) === chain) this.chains.delete(ref);
    }
  }

  /** The first attempt of a batch chained on `after`: exact when it ran on what
   *  `after` left and that committed exactly (and its own write, if any, did too);
   *  merged when its delta was replayed on the store's record instead. */
  private async chained(link: Link, posted: () => void, after: Link, ref: Ref, msgs: Msg[], config: TurnConfig, epoch: number, timeoutMs: number): Promise<{ commit: Commit; results: BatchResult[]; wrote: boolean }> {
    const req: ComputeRequest = { t: 'compute', ref, msgs, config, epoch, tag: link.tag, revision: 0, after: after.tag };
    await after.posted;
    const sending = this.send(link.node, req, timeoutMs);
    posted();
    const reply = await sending;
    // Commits go in order: this one only on top of the one it ran after (or, where
    // that one's delta was replayed, its own delta on whatever the store holds).
    const before = await after.outcome;
    if (before === 'lost' || reply.t !== 'computed') return { commit: 'lost', results: [], wrote: false };
    return { commit: await this.commit(link.node, ref, reply, link.tag, before === 'exact'), results: reply.results, wrote: reply.json !== undefined };
  }

  /** A batch on the store's current record, again after every conflict. Its
   *  first attempt goes under `first.tag`, and says whether it committed. */
  private async fresh(
    node: string, ref: Ref, msgs: Msg[], config: TurnConfig, epoch: number, timeoutMs: number, first: { tag: number; settle(commit: Commit): void; posted(): void } | undefined,
  ): Promise<{ results: BatchResult[]; conflicts: number; wrote: boolean }> {
    let current = await this.store.getJson(ref);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const tag = attempt === 0 && first ? first.tag : this.nextTag++;
      const sending = this.send(node, this.request(node, ref, msgs, config, epoch, current, tag, false), timeoutMs);
      if (attempt === 0) first?.posted();
      let reply = await sending;
      // The node no longer keeps what we named (evicted, or replaced by a later batch's): ship it.
      if (reply.t === 'need-record') reply = await this.send(node, this.request(node, ref, msgs, config, epoch, current, tag, true), timeoutMs);
      if (reply.t !== 'computed') throw new Error(`unexpected reply ${reply.t} from ${node}`);
      const committed = await this.commit(node, ref, reply, tag, true);
      if (attempt === 0) first?.settle(committed);
      if (committed !== 'lost') return { results: reply.results, conflicts: attempt + (committed === 'merged' ? 1 : 0), wrote: reply.json !== undefined };
      current = await this.store.getJson(ref);
      await backoff(attempt);
    }
    throw new Error(`gave up on ${ref} after ${MAX_ATTEMPTS} conflicting attempts`);
  }

  /** Commits a node's outcome: its new record on the revision it ran on, when
   *  that is a record of the store (`onStored`). A batch that wrote nothing
   *  commits nothing (its reads stand as they are). On a loss, or off the
   *  store's records, a delta is replayed on the store's record: the node keeps
   *  no copy of what that writes. */
  private async commit(node: string, ref: Ref, reply: FunctionReply & { t: 'computed' }, tag: number, onStored: boolean): Promise<Commit> {
    if (reply.json === undefined) {
      if (!onStored) return 'lost';
      this.keep(node, ref, reply.base, tag);
      return 'exact';
    }
    let current: JsonVersioned | undefined;
    if (onStored) {
      const committed = await this.store.casJson(ref, reply.json, reply.base);
      if (committed.ok) {
        this.keep(node, ref, committed.revision, tag);
        return 'exact';
      }
      current = committed.current;
    }
    if (!reply.delta) return 'lost';
    current ??= await this.store.getJson(ref);
    return (await mergeCasJson(this.store, ref, reply.delta, current)) === undefined ? 'lost' : 'merged';
  }

  private keep(node: string, ref: Ref, revision: number, tag: number): void {
    if (!this.nodesKeep) return;
    let k = this.kept.get(node);
    if (!k) this.kept.set(node, (k = new ReadCache<number>()));
    k.set(ref, revision, tag);
    this.latest.set(ref, revision, node);
  }

  /** The batch with its record: named when `node` keeps this very revision, else shipped. */
  private request(node: string, ref: Ref, msgs: Msg[], config: TurnConfig, epoch: number, current: JsonVersioned | undefined, tag: number, ship: boolean): ComputeRequest {
    const req: ComputeRequest = { t: 'compute', ref, msgs, config, epoch, tag, revision: current?.revision ?? 0 };
    if (!current) return req;
    const held = this.kept.get(node)?.get(ref);
    if (!ship && held && held.revision === current.revision) {
      req.held = held.value;
      return req;
    }
    req.json = current.json;
    this.keep(node, ref, current.revision, tag);
    return req;
  }
}
