import type { Effect, Msg, Ref, TurnConfig } from '../world/core/types.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { PackedWorld } from '../world/files/packed-world.js';
import type { NodeStats } from './node-stats.js';
import type { EpochFence } from './epoch-fence.js';
import type { StateStore } from '../store/state-store.js';

/** What the gateway asks of a node. */
export type NodeRequest =
  /** Run one turn, in the node half of the mode it names (modes/registry.ts): `actor` at its home
   *  (cached state, mailbox), `function` anywhere (store read + CAS).
   *  `epoch`: the mode-table epoch the gateway routed it by; a node that acted on a newer one refuses it. */
  | { t: 'turn'; mode: string; ref: Ref; msg: Msg; config: TurnConfig; epoch?: number }
  /** Function mode: several turns of one object run in order and committed by one CAS (modes/function/stateless-turns.ts). */
  | { t: 'turns'; ref: Ref; msgs: Msg[]; config: TurnConfig; epoch?: number }
  /** Drop cached actor state: of objects no longer in actor mode, or no longer homed on this node.
   *  With an `epoch` (a live switch), applied once however many gateways send it. */
  | { t: 'release'; actorRefs: 'all' | { keepIfHome: string[]; keepModes?: ModeSnapshot }; epoch?: number }
  | { t: 'world'; definition: WorldDefinition }
  | { t: 'stats' };

/** What a node in this process's worker threads is sent: a reload carries the
 *  packed world they all share (world/files/packed-world.ts) instead of a copy each. */
export type LocalNodeRequest = NodeRequest | { t: 'world'; definition: PackedWorld } | ComputeRequest;

/** Function mode with the store on the gateway (embedded nodes, modes/function/gateway-commits.ts):
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

/** A mode table as plain data, for nodes to evaluate which objects stay actors. */
export interface ModeSnapshot {
  default: string;
  kinds: Record<string, string>;
  objects: Record<string, string>;
}

/** The mode an object runs in: its own entry, else its kind's, else the default.
 *  The one lookup both the gateway (dispatch/mode-table.ts) and the nodes use. */
export function modeIn<M extends string>(t: { default: M; kinds: Partial<Record<string, M>>; objects: Record<string, M> }, ref: Ref): M {
  return t.objects[ref] ?? t.kinds[ref.slice(0, ref.indexOf('/'))] ?? t.default;
}

export type NodeReply =
  | { t: 'effects'; effects: Effect[]; conflicts: number }
  | { t: 'batch'; results: BatchResult[]; conflicts: number }
  /** A `compute`'s outcome: the revision it ran on, and the new record's JSON text when the turns changed it (the gateway commits it). */
  | { t: 'computed'; results: BatchResult[]; base: number; json?: string }
  /** A `compute` named a revision the node does not hold: send it again with the record. */
  | { t: 'need-record' }
  | { t: 'ok' }
  | { t: 'stats'; stats: NodeStats };

/** One turn of a batch: its effects, or why it failed (the others still count). */
export type BatchResult = { effects: Effect[] } | { error: string };

export interface MembershipEvent {
  type: 'joined' | 'left';
  node: string;
  /** For `left`: 'stopped', 'crashed: <why>', 'timed out'. */
  reason?: string;
}

/** The seam between the gateway and its nodes, naming no transport: worker
 *  threads over MessagePorts embedded (lattice/worker/worker-lattice.ts), processes over
 *  NATS beyond one machine (lattice/nats/nats-lattice.ts).
 *
 *  Guarantees: a request resolves with the node's reply or rejects (node gone,
 *  timeout); it is never silently dropped. Membership events arrive in order. */
export interface Lattice {
  readonly kind: 'embedded' | 'nats';
  /** Live nodes, by id. */
  nodes(): string[];
  onMembership(listener: (e: MembershipEvent) => void): () => void;
  request(node: string, req: NodeRequest, timeoutMs?: number): Promise<NodeReply>;
  /** A turn to whichever node the transport balances to (a NATS queue group);
   *  undefined when the transport leaves the choice to the caller. */
  requestAny?(req: NodeRequest, timeoutMs?: number): Promise<NodeReply>;
  /** The store, when it is in this process and nodes reach it through this lattice (embedded nodes), with
   *  a way to have a node compute on a record sent to it: a mode may then commit on the gateway what nodes
   *  computed (function mode: modes/function/gateway-commits.ts). Absent: nodes reach the store themselves. */
  readonly localStore?: LocalStore;
  /** The mode-table epoch the gateway acts on, for nodes that join later (their fence starts there). */
  setEpoch?(epoch: number): void;
  /** Starts one more node; resolves with its id. */
  addNode(): Promise<string>;
  /** Stops a node politely (its turns finish) or kills it (fault injection). */
  removeNode(node: string, how: 'stop' | 'kill'): Promise<void>;
  close(): Promise<void>;
}

/** What answers a node's requests (the modes' node halves, modes/node-runtime.ts). Whoever composes a
 *  node (bin/, or the worker entry in modes/) makes it; the lattice only carries requests to it. */
export interface NodeService {
  handle(req: LocalNodeRequest): Promise<NodeReply>;
  readonly fence: EpochFence;
  close(): void;
}

export type NodeServiceFactory = (id: string, store: StateStore, definition: WorldDefinition | PackedWorld) => NodeService;

/** See `Lattice.localStore`. */
export interface LocalStore {
  store: StateStore;
  /** Nodes keep the records sent to them, so a later request may name a record instead of sending it. */
  nodesKeepRecords: boolean;
  compute(node: string, req: ComputeRequest, timeoutMs: number): Promise<NodeReply>;
}
