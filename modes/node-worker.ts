// Entry point of an embedded node: a worker thread with its own event loop, talking to the gateway over
// its parentPort (lattice/worker/worker-lattice.ts starts it; bin/ names this file: node-worker-file.ts).
// The store stays on the gateway's thread; this node reaches it through the same port.
import { parentPort, workerData } from 'node:worker_threads';
import type { PackedWorld } from '../world/files/packed-world.js';
import { NodeRuntime } from './node-runtime.js';
import { PortRpc, type PortLike } from '../lattice/port-rpc.js';
import { RemoteStore, type StoreOp } from '../store/remote-store.js';
import { ReadCache } from '../store/read-cache.js';
import type { LocalNodeRequest, NodeReply } from '../lattice/lattice.js';

const { id, definition, readCache } = workerData as { id: string; definition: PackedWorld; readCache: boolean };
const port = parentPort as unknown as PortLike;
let runtime: NodeRuntime | undefined;
const rpc = new PortRpc<StoreOp, unknown, LocalNodeRequest, NodeReply>(port, (req) => runtime!.handle(req));
runtime = new NodeRuntime(id, new RemoteStore((op) => rpc.request(op), true, readCache ? new ReadCache() : undefined), definition, readCache);
parentPort!.postMessage({ ready: id });
