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
  | ModeRequest
  /** Drop cached actor state: of objects no longer in actor mode, or no longer homed on this node.
   *  With an `epoch` (a live switch), applied once however many gateways send it. */
  | { t: 'release'; actorRefs: 'all' | { keepIfHome: string[]; keepModes?: ModeSnapshot }; epoch?: number }
  | { t: 'world'; definition: WorldDefinition }
  | { t: 'stats' };

/** What a node in this process's worker threads is sent: a reload carries the
 *  packed world they all share (world/files/packed-world.ts) instead of a copy each. */
export type LocalNodeRequest = NodeRequest | { t: 'world'; definition: PackedWorld };

/** A request of a mode's own beyond `turn` (function mode's batches): the lattice carries it without
 *  reading it, and the node's runtime hands `body` to the node half of the mode it names, which answers
 *  with a `mode` reply. The types a mode sends are declared in its spec (`requests`, modes/mode-spec.ts):
 *  a node refuses any other. `epoch` as for `turn`. */
export interface ModeRequest {
  t: 'mode';
  mode: string;
  epoch?: number;
  body: ModeMessage;
}

/** A mode's own request or reply: its type, and fields only the mode reads. */
export interface ModeMessage {
  t: string;
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
  /** A `ModeRequest`'s answer, as the mode's node half gave it. */
  | { t: 'mode'; body: ModeMessage }
  | { t: 'ok' }
  | { t: 'stats'; stats: NodeStats };

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
   *  a way to send a node a request only this process may send (one carrying a record read from the store
   *  here): a mode may then commit on the gateway what nodes computed (function mode:
   *  modes/function/gateway-commits.ts). Absent: nodes reach the store themselves. */
  readonly localStore?: LocalStore;
  /** The mode-table epoch the gateway acts on, for nodes that join later (their fence starts there). */
  setEpoch?(epoch: number): void;
  /** Starts the nodes put off until a mode needs them (the embedded lattice under an in-process table); absent
   *  or resolved at once where nodes run from the start. */
  wake?(): Promise<void>;
  /** How many nodes wait for `wake` (shown by status; 0 once started). */
  readonly notStarted?: number;
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
  /** Whether a request that came from another process (over NATS) is one this node takes: a mode's own
   *  request only when its mode declares that type as one other processes may send. */
  acceptsRemote(req: NodeRequest): boolean;
  readonly fence: EpochFence;
  close(): void;
}

export type NodeServiceFactory = (id: string, store: StateStore, definition: WorldDefinition | PackedWorld) => NodeService;

/** See `Lattice.localStore`. */
export interface LocalStore {
  store: StateStore;
  /** Nodes keep the records sent to them, so a later request may name a record instead of sending it. */
  nodesKeepRecords: boolean;
  compute(node: string, req: ModeRequest, timeoutMs: number): Promise<NodeReply>;
}
