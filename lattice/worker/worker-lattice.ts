import { Worker } from 'node:worker_threads';
import type { WorldDefinition } from '../../world/files/world-def.js';
import { packedWorld } from '../../world/files/packed-world.js';
import type { Logger } from '../../support/logger.js';
import type { StateStore } from '../../store/state-store.js';
import type { Lattice, LocalNodeRequest, LocalStore, MembershipEvent, NodeReply, NodeRequest } from '../lattice.js';
import { PortRpc, type PortLike } from '../port-rpc.js';
import { serveStoreOp, type StoreOp } from '../../store/remote-store.js';

interface EmbeddedNode {
  id: string;
  worker: Worker;
  rpc: PortRpc<LocalNodeRequest, NodeReply, StoreOp, unknown>;
  ready: boolean;
  /** Set when we stop it on purpose: its exit is not a crash. */
  stopping: boolean;
  /** Set when it is killed on purpose (fault injection): it is replaced like a crashed one, and said to be killed. */
  killed?: boolean;
}

export interface WorkerLatticeOptions {
  store: StateStore;
  /** The world definition new nodes start with (the current one after a reload). */
  definition(): WorldDefinition;
  log: Logger;
  /** Heap limit per node, so a runaway script's memory kills its node, not the server. */
  maxHeapMb?: number;
  /** Nodes keep a read cache of records, revalidated by revision (default on). */
  readCache?: boolean;
  /** The compiled file a node's worker thread runs (modes/node-worker-file.ts): the lattice names no mode. */
  entry: string;
}

const READY_TIMEOUT_MS = 30_000;

/** Nodes as worker threads of this process, each with its own event loop,
 *  joined to the gateway by MessagePorts. The store stays on the gateway's
 *  thread and nodes reach it over their port. A crashed node is replaced. */
export class WorkerLattice implements Lattice {
  readonly kind = 'embedded' as const;
  private readonly members = new Map<string, EmbeddedNode>();
  private readonly listeners = new Set<(e: MembershipEvent) => void>();
  private seq = 0;
  private closing = false;
  /** Nodes asked for and not started yet (startOnFirstUse), and the start once `wake` began it. */
  private waiting = 0;
  private waking: Promise<void> | undefined;
  readonly localStore: LocalStore;

  constructor(private readonly opts: WorkerLatticeOptions) {
    this.localStore = {
      store: opts.store,
      nodesKeepRecords: opts.readCache !== false,
      compute: (node, req, timeoutMs) => this.member(node).rpc.request(req, timeoutMs),
    };
  }

  async start(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.addNode()));
  }

  /** `count` nodes, started by the first `wake`: a gateway whose table runs everything in-process
   *  keeps no idle node threads (each is an isolate of its own: ~13 MiB resident, BENCHMARKS). */
  startOnFirstUse(count: number): void {
    this.waiting = count;
  }

  /** Starts the nodes `startOnFirstUse` put off (once; later calls wait for the same start). */
  wake(): Promise<void> {
    if (!this.waking) {
      const count = this.waiting;
      this.waiting = 0;
      if (count > 0) this.opts.log.info('starting nodes', { nodes: count, why: 'the mode table now runs objects on nodes' });
      // A node that fails to start fails the switch that woke it; the next one tries again for what is missing.
      this.waking = this.start(count).catch((err: unknown) => {
        this.waking = undefined;
        this.waiting = Math.max(0, count - this.nodes().length);
        throw err;
      });
    }
    return this.waking;
  }

  /** Nodes that start on first use and have not yet. */
  get notStarted(): number {
    return this.waking ? 0 : this.waiting;
  }

  nodes(): string[] {
    return [...this.members.values()].filter((n) => n.ready && !n.stopping).map((n) => n.id).sort();
  }

  onMembership(listener: (e: MembershipEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async request(node: string, req: NodeRequest, timeoutMs = 0): Promise<NodeReply> {
    // A reload reaches every node: one packed copy shared by all, not a clone each.
    return this.member(node).rpc.request(req.t === 'world' ? { t: 'world', definition: packedWorld(req.definition) } : req, timeoutMs);
  }

  /** A running node, or why not (thrown: a caller's promise rejects). */
  private member(node: string): EmbeddedNode {
    const n = this.members.get(node);
    if (!n || !n.ready) throw new Error(`node ${node} is not running`);
    return n;
  }

  addNode(): Promise<string> {
    const id = `node-${++this.seq}`;
    const worker = new Worker(this.opts.entry, {
      // The world's packed form: every node reads the same shared bytes (world/files/packed-world.ts).
      workerData: { id, definition: packedWorld(this.opts.definition()), readCache: this.opts.readCache !== false },
      resourceLimits: this.opts.maxHeapMb ? { maxOldGenerationSizeMb: this.opts.maxHeapMb } : undefined,
    });
    const node: EmbeddedNode = { id, worker, ready: false, stopping: false, rpc: undefined! };
    node.rpc = new PortRpc(worker as unknown as PortLike, (op: StoreOp) => serveStoreOp(this.opts.store, op));
    this.members.set(id, node);
    worker.on('exit', (code) => this.exited(node, code));
    worker.on('error', (err) => this.opts.log.error('node error', { node: id, why: err.message }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`node ${id} did not start within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      worker.on('message', (m: { ready?: string }) => {
        if (m && !Array.isArray(m) && m.ready === id) {
          clearTimeout(timer);
          node.ready = true;
          this.emit({ type: 'joined', node: id });
          resolve(id);
        }
      });
      worker.once('exit', () => {
        clearTimeout(timer);
        if (!node.ready) reject(new Error(`node ${id} exited before it was ready`));
      });
    });
  }

  async removeNode(id: string, how: 'stop' | 'kill'): Promise<void> {
    const node = this.members.get(id);
    if (!node) throw new Error(`there is no node ${id}; nodes: ${this.nodes().join(', ') || 'none'}`);
    if (how === 'kill') {
      node.killed = true;
      await node.worker.terminate(); // fault injection: no goodbye, in-flight requests fail
      return;
    }
    node.stopping = true;
    this.emit({ type: 'left', node: id, reason: 'stopped' });
    for (let waited = 0; node.rpc.inFlight > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await node.worker.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.members.values()].map((n) => {
      n.stopping = true;
      return n.worker.terminate();
    }));
  }

  private exited(node: EmbeddedNode, code: number): void {
    this.members.delete(node.id);
    node.rpc.close(`node ${node.id} exited (code ${code})`);
    if (node.stopping || this.closing) return;
    const wasReady = node.ready;
    node.ready = false;
    // A kill asked for is not a crash: the node left line says which it was, and only a crash is warned of.
    if (wasReady) this.emit({ type: 'left', node: node.id, reason: node.killed ? 'killed on request, replacing it' : `crashed (exit code ${code}), replacing it` });
    if (!node.killed) this.opts.log.warn('node crashed', { node: node.id, code, replacing: true });
    void this.addNode().catch((err: Error) => this.opts.log.error('node replacement failed', { why: err.message }));
  }

  private emit(e: MembershipEvent): void {
    this.opts.log.info(e.type === 'joined' ? 'node joined' : 'node left', { node: e.node, reason: e.reason, nodes: this.nodes().length });
    for (const l of this.listeners) l(e);
  }
}
