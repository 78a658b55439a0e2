import type { ObjectRecord } from '../../world/core/turn.js';
import type { ComputeRequest, FunctionReply } from './function-requests.js';
import { ReadCache } from '../../store/read-cache.js';
import type { StatelessTurns } from './stateless-turns.js';

/** A kept record and the request it came with (shipped) or from (computed). */
interface Held {
  tag: number;
  record: ObjectRecord;
}

/** The node's side of a function batch shipped with its record by the gateway
 *  (modes/function/gateway-commits.ts): run the turns on the record given, never
 *  touching the store, and answer with the new record's JSON text for the
 *  gateway to commit. The records shipped and computed are kept, each under
 *  its revision and its request's tag, so the gateway can name one instead of
 *  shipping it again (a hot room's record, turn after turn on the same node).
 *  A computed record is kept before anyone knows it will commit: the tag tells
 *  it apart from a rival computed on the same revision, and the gateway names
 *  only the one it committed, or chains the next batch on it and commits that
 *  one only if this one committed. Anything else asks for the record. */
export class ShippedTurns {
  /** Undefined when the node keeps nothing (`--no-read-cache`): every batch ships its record. */
  private readonly held: ReadCache<Held> | undefined;
  writes = 0;

  constructor(private readonly turns: StatelessTurns, keep: boolean) {
    this.held = keep ? new ReadCache<Held>() : undefined;
  }

  compute(req: ComputeRequest): FunctionReply {
    let initial: ObjectRecord | undefined;
    let revision = req.revision;
    const kept = this.held?.get(req.ref);
    if (req.after !== undefined) {
      if (!kept || kept.value.tag !== req.after) return { t: 'need-record' };
      initial = kept.value.record;
      revision = kept.revision;
    } else if (req.json !== undefined) {
      initial = JSON.parse(req.json) as ObjectRecord;
    } else if (revision !== 0) {
      if (!kept || kept.revision !== revision || kept.value.tag !== req.held) return { t: 'need-record' };
      initial = kept.value.record;
    }
    const { results, record, delta } = this.turns.compute(req.ref, req.msgs, req.config, initial);
    if (record === undefined) return { t: 'computed', results, base: revision };
    const wrote = record !== initial;
    // Kept under this request's tag, written or not, for a batch chained after it. Revisions
    // step by one in the gateway's store: a write would make the next one.
    this.held?.set(req.ref, wrote ? revision + 1 : revision, { tag: req.tag, record });
    if (!wrote) return { t: 'computed', results, base: revision };
    this.writes += 1;
    const reply: FunctionReply = { t: 'computed', results, base: revision, json: JSON.stringify(record) };
    if (delta) reply.delta = delta;
    return reply;
  }
}
