import type { Effect, Msg, Ref, TurnConfig } from '../../world/core/types.js';
import type { ModeRequest, NodeReply } from '../../lattice/lattice.js';
import type { RecordDelta } from '../../world/core/record-rebase.js';

/** Several turns of one object run in order and committed by one CAS (stateless-turns.ts). */
export interface TurnsRequest {
  t: 'turns';
  ref: Ref;
  msgs: Msg[];
  config: TurnConfig;
}

/** Function mode with the store on the gateway (embedded nodes, gateway-commits.ts):
 *  the batch comes with the object's record as the gateway read it, and the node
 *  only computes; the gateway commits the new record with one compare-and-swap.
 *  `json` is left out when the gateway knows the node holds that revision. */
export interface ComputeRequest {
  t: 'compute';
  ref: Ref;
  msgs: Msg[];
  config: TurnConfig;
  epoch?: number;
  /** This request's id, unique per gateway: what the node keeps from it (the record
   *  shipped, the record computed) is kept under it, so a kept record is named exactly. */
  tag: number;
  /** The record's revision (0: it does not exist). */
  revision: number;
  /** Its JSON text; or, when the node keeps that revision, `held`: the tag it was kept under. */
  json?: string;
  held?: number;
  /** Instead of a record: run on what this node's request `after` left (a batch still
   *  in flight), so a hot object's batches pipeline on one node without conflicts. */
  after?: number;
}

/** Function mode's own requests, as its spec declares them (function-mode.ts): `turns` from any
 *  process, `compute` only to nodes in the gateway's (it carries a record read from its store). */
export type FunctionRequest = TurnsRequest | ComputeRequest;
export const FUNCTION_REQUESTS = { remote: ['turns'], local: ['compute'] } as const satisfies Record<string, ReadonlyArray<FunctionRequest['t']>>;

/** One turn of a batch: its effects, or why it failed (the others still count). */
export type BatchResult = { effects: Effect[] } | { error: string };

export type FunctionReply =
  /** A `turns` batch's outcome. */
  | { t: 'batch'; results: BatchResult[]; conflicts: number }
  /** A `compute`'s outcome: the revision it ran on, and the new record's JSON text when the turns changed it (the gateway commits it);
   *  with `delta` when they commute, for the gateway to replay on a newer record should the commit lose. */
  | { t: 'computed'; results: BatchResult[]; base: number; json?: string; delta?: RecordDelta }
  /** A `compute` named a revision the node does not hold: send it again with the record. */
  | { t: 'need-record' };

/** A function request as the lattice carries it. */
export function functionRequest(body: FunctionRequest, epoch: number | undefined): ModeRequest {
  return { t: 'mode', mode: 'function', epoch, body };
}

/** The function reply a node answered a function request with. */
export function functionReply(reply: NodeReply): FunctionReply {
  if (reply.t !== 'mode') throw new Error(`unexpected reply ${reply.t}`);
  return reply.body as FunctionReply;
}
